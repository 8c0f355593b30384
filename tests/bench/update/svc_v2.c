#define SVC_VERSION 2
#include "svc_impl.h"
