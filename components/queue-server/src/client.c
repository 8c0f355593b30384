/* queue-server client library: the RPC calls as functions. The buffers go
 * to the server as they are (no copy here): they must be CMRX_SHARED. */
#include "queue_server.h"

int queue_create(uint32_t id, uint32_t depth, uint32_t msg_size)
{
    return cmrx_rpc_call(&queue_service, create, id, depth, msg_size);
}

int queue_destroy(uint32_t id)
{
    return cmrx_rpc_call(&queue_service, destroy, id);
}

int queue_send(uint32_t id, const void *buf, uint32_t len, uint32_t timeout_us)
{
    return cmrx_rpc_call(&queue_service, send, id, buf, len, timeout_us);
}

int queue_receive(uint32_t id, void *buf, uint32_t size, uint32_t timeout_us)
{
    return cmrx_rpc_call(&queue_service, receive, id, buf, size, timeout_us);
}

int queue_pending(uint32_t id)
{
    return cmrx_rpc_call(&queue_service, pending, id);
}
