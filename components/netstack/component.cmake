# netstack: lwIP in a process of its own, with sockets over RPC for every
# other process (see README.md). Needs lwIP (the registry's `lwip` package)
# and a NIC driver serving netdev_<device> (e.g. the lan9118 component).
#
# Settings (cmrx.yaml `settings: {netstack: {...}}`, or CMake variables
# NETSTACK_<KEY> before this file is included):
#   sockets      socket table size, listening sockets included      (8)
#   heap_kib     lwIP heap for data being sent, KiB                 (32)
#   pbufs        pool of 1.5 KiB buffers for received frames        (16)
#   tcp_wnd_mss  TCP receive window, in segments of 1460 bytes      (4)
#   tcp_snd_mss  TCP send buffer per connection, in segments        (4)
#   batch        frames per call into the driver, each way          (2)
#   priority     of the stack's own thread                          (6)
#   device       the peripheral whose netdev it uses                (eth0)
#   ip, netmask, gateway   a static address; without ip: DHCP
#   ports        ports kept for one process each, PORT:process ([7:echo]):
#                no other process binds them, TCP or UDP (1..49151: lwIP
#                picks a connection's own port from 49152 up)
#   reserve      sockets kept for processes, N:process ([3:echo]): each may
#                always hold N, whoever holds the rest (together at most
#                `sockets`)
include_guard(GLOBAL)
cmrx_package_dir(netdev netdev_dir) # the frame interface's header
include(${netdev_dir}/component.cmake)
set(netstack_sockets_max 64) # the socket table's largest size
cmrx_component_settings(COMPONENT netstack SETTINGS
    sockets:1:${netstack_sockets_max}:8 heap_kib:4:1024:32 pbufs:4:256:16 tcp_wnd_mss:1:16:4 tcp_snd_mss:1:16:4
    batch:1:8:2 priority:0:30:6 device:word:eth0 ip:ipv4 netmask:ipv4 gateway:ipv4
    ports:owners:1:49151 reserve:counts:1:${netstack_sockets_max})
# What is kept must fit in the table, in the entries the stack reads.
cmrx_counts_check(COMPONENT netstack KEY reserve UNIT sockets TOTAL ${NETSTACK_SOCKETS}
    OF "'sockets'")
if(NETSTACK_IP AND (NOT NETSTACK_NETMASK OR NOT NETSTACK_GATEWAY))
    message(FATAL_ERROR "netstack: a static address (settings.netstack.ip) needs netmask and "
        "gateway too")
endif()

# lwIP's sources: the lwip package cmrx fetched, or LWIP_DIR.
if(NOT LWIP_DIR)
    cmrx_package_dir(lwip LWIP_DIR)
endif()
if(NOT EXISTS ${LWIP_DIR}/src/core/tcp.c)
    message(FATAL_ERROR "netstack: lwIP's sources are not at ${LWIP_DIR} (`cmrx add netstack` "
        "fetches the lwip package; with plain CMake, set LWIP_DIR)")
endif()

set(d ${CMAKE_CURRENT_LIST_DIR})
# What lwIP and the stack are compiled with: the port's headers and the settings.
add_library(netstack_config INTERFACE)
target_include_directories(netstack_config INTERFACE ${d}/port ${LWIP_DIR}/src/include
    ${d}/include ${d}/src)
math(EXPR netstack_mem "${NETSTACK_HEAP_KIB} * 1024")
target_compile_definitions(netstack_config INTERFACE
    NETSTACK_SOCKETS=${NETSTACK_SOCKETS} NETSTACK_MEM_SIZE=${netstack_mem}
    NETSTACK_PBUF_POOL=${NETSTACK_PBUFS} NETSTACK_TCP_WND_MSS=${NETSTACK_TCP_WND_MSS}
    NETSTACK_TCP_SND_MSS=${NETSTACK_TCP_SND_MSS} NETSTACK_BATCH=${NETSTACK_BATCH}
    NETSTACK_NETDEV=netdev_${NETSTACK_DEVICE} NETSTACK_PORTS="${NETSTACK_PORTS}"
    NETSTACK_RESERVE="${NETSTACK_RESERVE}")
if(NETSTACK_IP)
    target_compile_definitions(netstack_config INTERFACE NETSTACK_IP="${NETSTACK_IP}"
        NETSTACK_NETMASK="${NETSTACK_NETMASK}" NETSTACK_GATEWAY="${NETSTACK_GATEWAY}")
endif()
target_link_libraries(netstack_config INTERFACE netdev_interface cmrx_user)

# lwIP itself: IPv4, ARP, ICMP, UDP, TCP, DHCP and Ethernet (lwipopts.h
# leaves the rest out), compiled as lwIP's authors write it.
file(GLOB netstack_lwip_srcs ${LWIP_DIR}/src/core/*.c ${LWIP_DIR}/src/core/ipv4/*.c)
add_library(netstack_lwip OBJECT ${netstack_lwip_srcs} ${LWIP_DIR}/src/netif/ethernet.c)
target_link_libraries(netstack_lwip PUBLIC netstack_config)
target_compile_options(netstack_lwip PRIVATE $<$<COMPILE_LANGUAGE:C>:-std=gnu11> -fvisibility=hidden)

# The client library every process with sockets links.
cmrx_component_library(NAME netsock_client SOURCES ${d}/src/client.c INCLUDE_DIRS ${d}/include)
target_include_directories(netsock_client PRIVATE ${d}/src)
target_compile_options(netsock_client PRIVATE -Wall -Wextra -Werror)

# The stack's own sources, also used by the single-process benchmark build.
set(NETSTACK_SOURCES ${d}/src/netstack.c ${d}/src/sockets.c)
cmrx_component_process(NAME netstack SOURCES ${NETSTACK_SOURCES}
    STACK_SIZE 2048 THREADS 1 PRIORITY ${NETSTACK_PRIORITY} FAULT_POLICY restart
    RPC_STACK 1536 # its methods: lwIP down to the driver call (and that call's 384)
    LIBS netstack_lwip netstack_config)
target_compile_options(cmrxproc_netstack PRIVATE -Wall -Wextra -Werror)
