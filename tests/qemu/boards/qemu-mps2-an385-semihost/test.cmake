# Read by tests/qemu/firmware/CMakeLists.txt for this test board.
# Its console is not a UART: the memory test grants UART0's registers
# (which the kernel leaves alone here) as the device range instead.
set(CMRX_TEST_MMIO_BASE 0x40004000)
