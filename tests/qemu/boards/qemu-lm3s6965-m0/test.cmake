# Read by tests/qemu/firmware/CMakeLists.txt for this test board.
# QEMU's Cortex-M0 in place of the board's Cortex-M3.
set(CMRX_TEST_QEMU_ARGS -cpu cortex-m0)
# It has no MPU: the kernel is built to run without one (it says so on the
# console), and the tests of memory protection are left out.
set(CMRX_TEST_WITHOUT_MPU ON)
# Like a real Cortex-M0 (unlike a Cortex-M0+), QEMU's has no unprivileged
# thread mode: CONTROL.nPRIV reads as zero, so threads run privileged and
# the check that only the kernel may make its start call does not apply.
set(CMRX_TEST_THREADS_PRIVILEGED ON)
