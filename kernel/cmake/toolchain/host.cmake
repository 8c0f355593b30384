# CMake toolchain file for board `host` (the host simulation,
# kernel/arch/sim): this machine's own C compiler, building a Linux x86-64
# program. Non-PIE, so that code and static data lie below 4 GiB, where
# the kernel's 32-bit fields (fault addresses, RPC arguments) hold them.
set(CMAKE_C_COMPILER cc)
set(CMAKE_ASM_COMPILER cc)
set(CMAKE_POSITION_INDEPENDENT_CODE OFF)
# Frame pointers and no tail calls: a fault's report names the caller
# (kernel/arch/sim), and a backtrace has every function that made a call.
set(CMAKE_C_FLAGS_INIT "-fno-pie -fno-omit-frame-pointer -fno-optimize-sibling-calls")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-no-pie")
set(CMAKE_EXECUTABLE_SUFFIX_C .elf)
set(CMAKE_EXECUTABLE_SUFFIX_ASM .elf)
