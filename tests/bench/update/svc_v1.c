#define SVC_VERSION 1
#include "svc_impl.h"
