# lan9118: driver process of an SMSC LAN9118 / LAN9220 Ethernet controller,
# serving it as a netdev (see README.md). The device is a peripheral of the
# board's bsp.yaml with `driver: lan9118`.
#
# Settings (cmrx.yaml `settings: {lan9118: {...}}`, or CMake variables
# before this file is included):
#   priority     of its interrupt thread (LAN9118_PRIORITY, default 3)
#   callers      the processes it serves (LAN9118_CALLERS, default: netstack);
#                the kernel refuses every other caller
# LAN9118_PERIPHERAL names the peripheral to drive (default: the board's
# first of driver lan9118); its object is netdev_<peripheral>.
include_guard(GLOBAL)
cmrx_package_dir(netdev netdev_dir) # the frame interface's header
include(${netdev_dir}/component.cmake)
cmrx_component_settings(COMPONENT lan9118 SETTINGS priority:0:30:3 callers:names:netstack)
if(NOT LAN9118_PERIPHERAL)
    cmrx_board_peripherals(OUT lan9118_nics DRIVER lan9118)
    if(NOT lan9118_nics)
        message(FATAL_ERROR "lan9118: board ${CMRX_BSP_NAME} has no peripheral with "
            "'driver: lan9118' in its bsp.yaml (docs/bsp.md, Peripherals)")
    endif()
    list(GET lan9118_nics 0 LAN9118_PERIPHERAL)
endif()
string(TOUPPER "${LAN9118_PERIPHERAL}" lan9118_up)
cmrx_component_process(NAME lan9118
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/lan9118.c
    STACK_SIZE 512 THREADS 1 PRIORITY ${LAN9118_PRIORITY} FAULT_POLICY restart
    RPC_STACK 384 # its methods copy frames and read registers: about 100 bytes
    CALLERS ${LAN9118_CALLERS}
    PERIPHERALS ${LAN9118_PERIPHERAL})
target_link_libraries(cmrxproc_lan9118 PRIVATE netdev_interface)
target_compile_definitions(cmrxproc_lan9118 PRIVATE
    LAN9118_BASE=CMRX_PERIPH_${lan9118_up}_BASE LAN9118_IRQ=CMRX_PERIPH_${lan9118_up}_IRQ
    LAN9118_OBJECT=netdev_${LAN9118_PERIPHERAL})
target_compile_options(cmrxproc_lan9118 PRIVATE -Wall -Wextra -Werror)
