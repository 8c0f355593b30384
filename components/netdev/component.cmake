# netdev: the frame interface between NIC drivers and the network stack
# (include/netdev.h). No process of its own: drivers and the stack link
# netdev_interface for the header.
include_guard(GLOBAL)
add_library(netdev_interface INTERFACE)
target_include_directories(netdev_interface INTERFACE ${CMAKE_CURRENT_LIST_DIR}/include)
