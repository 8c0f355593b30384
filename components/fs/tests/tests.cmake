# fs QEMU tests, included by tests/qemu/firmware/CMakeLists.txt on boards
# with storage (bsp.yaml qemu.storage) when littlefs was fetched
# (LITTLEFS_DIR). The device is small, so that a full disk comes quickly.
set(EMUFLASH_KIB 128)
include(${CMAKE_CURRENT_LIST_DIR}/../../emuflash/component.cmake)
set(FS_OPEN_FILES 4)
# /vault is fs_keeper's (fs_kept); the tests that format are named.
set(FS_OWNERS /vault:fs_keeper /slog:fs_sjudge /slog6:fs_sjudge6)
set(FS_FORMAT fs_basic fs_judge fs_lkwait_j fs_lkstop_j fs_edge fs_toctou fs_pc fs_kjudge
    fs_hjudge fs_sjudge fs_sjudge6)
# One handle is fs_hjudge's whoever holds the rest (fs_hoard).
set(FS_RESERVE 1:fs_hjudge)
# Disk blocks kept for fs_sjudge, the logger of fs_space.
set(FS_SPACE 8:fs_sjudge 8:fs_sjudge6)
include(${CMAKE_CURRENT_LIST_DIR}/../component.cmake)
# A method that faults, for the restart test only.
target_compile_definitions(cmrxproc_fs PRIVATE FS_TEST_FAULT)
set(d ${CMAKE_CURRENT_LIST_DIR})
set(fs_test_args THREADS 1 STACK_SIZE 4096 LIBS fs_client INCLUDE_DIRS ${d})

test_process(fs_basic SOURCES ${d}/fs_basic.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
test_process(fs_other SOURCES ${d}/fs_other.c ARGS ${fs_test_args} PRIORITY 12)
# The first handle of the first process: slot 0, generation 1, epoch 0.
foreach(p fs_basic fs_other)
    target_compile_definitions(cmrxproc_${p} PRIVATE FS_OTHER_HANDLE=0x100)
endforeach()
target_link_libraries(cmrxproc_fs_other PRIVATE blockdev_interface)
qemu_test(NAME fs_api PROCESSES fs_basic fs_other fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_other: foreign handle refused\n.*fs_other: the block device refuses it\n.*fs_basic: api ok.*fs_basic: disk full after [0-9]+ bytes\n.*fs_basic: bad input refused\n.*PASS")

test_process(fs_judge SOURCES ${d}/fs_judge.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
test_process(fs_writer SOURCES ${d}/fs_writer.c ARGS ${fs_test_args} PRIORITY 12
    FAULT_POLICY kill-process)
qemu_test(NAME fs_faults PROCESSES fs_judge fs_writer fs emuflash IMAGE LABELS fs
    EXPECT "fs_writer: 10 records synced\n.*FAULT process=fs_writer.*fs_judge: the writer is dead\n.*fs_judge: w.log holds 1[0-3] intact records\n.*FAULT process=fs .*process fs restarted.*fs_judge: fs restarted, mounted again, clients reopen\n.*PASS")

# A client dies with its thread inside fs (docs/storage.md, Faults): blocked
# on fs's lock (fs_lockwait), or holding it, paused by busier threads until
# the kernel stops it there (fs_lockstop). Other clients must be served.
set(lock_args ${fs_test_args})
list(REMOVE_ITEM lock_args THREADS 1)
foreach(v wait stop)
    test_process(fs_lk${v}_j SOURCES ${d}/fs_lock_judge.c SYSTEM ARGS ${lock_args} THREADS 3
        PRIORITY 10)
    test_process(fs_lk${v}_a SOURCES ${d}/fs_lock_attacker.c ARGS ${lock_args} THREADS 2
        PRIORITY 12 FAULT_POLICY kill-process)
endforeach()
# Only the waiter's scenario needs a victim inside fs.
test_process(fs_lkwait_v SOURCES ${d}/fs_lock_victim.c ARGS ${lock_args} THREADS 1 PRIORITY 14)
target_compile_definitions(cmrxproc_fs_lkstop_j PRIVATE FS_LOCK_STOP)
target_compile_definitions(cmrxproc_fs_lkstop_a PRIVATE FS_LOCK_STOP)
qemu_test(NAME fs_lockwait PROCESSES fs_lkwait_j fs_lkwait_a fs_lkwait_v fs emuflash IMAGE
    LABELS fs attack REJECT "SETUP FAILED"
    EXPECT "FAULT process=fs_lkwait_a.*fs_lkj: the lock held: served after the victim's call\n.*PASS")
qemu_test(NAME fs_lockstop PROCESSES fs_lkstop_j fs_lkstop_a fs emuflash IMAGE
    LABELS fs attack
    EXPECT "FAULT process=fs_lkstop_a.*did not return from [a-z]+. stopped there.*fs_lkj: fs recovered from the stopped holder\n.*PASS")

# Paths at their edges, straight to the service.
test_process(fs_edge SOURCES ${d}/fs_edge.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
qemu_test(NAME fs_edge PROCESSES fs_edge fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_edge: paths at their edges refused or served\n.*PASS")

# A second thread rewrites the path while fs uses it (double fetch).
set(toctou_args ${fs_test_args})
list(REMOVE_ITEM toctou_args THREADS 1)
test_process(fs_toctou SOURCES ${d}/fs_toctou.c SYSTEM ARGS ${toctou_args} THREADS 2 PRIORITY 10)
qemu_test(NAME fs_toctou PROCESSES fs_toctou fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_toctou: [0-9]+ opens, [0-9]+ refused, [0-9]+ names, none longer than path_max\n.*PASS")

# Another process's directory (docs/security.md, the services' attacks):
# the thief tries every call on the keeper's /vault, the judge restarts
# the keeper, which finds its files and is served in its directory.
test_process(fs_kjudge SOURCES ${d}/fs_kjudge.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
test_process(fs_keeper SOURCES ${d}/fs_keeper.c ARGS ${fs_test_args} PRIORITY 12)
test_process(fs_thief SOURCES ${d}/fs_thief.c ARGS ${fs_test_args} PRIORITY 13)
qemu_test(NAME fs_kept PROCESSES fs_kjudge fs_keeper fs_thief fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_keeper: /vault/secret kept\n.*fs_thief: [0-9]+ attacks, each refused with CMRX_EPERM\n.*fs_keeper: restarted, its files intact, every call in /vault served\n.*fs_kjudge: the keeper's directory is its own\n.*PASS")

# A client opens files until fs has no handle left and keeps them: the
# judge, which the firmware keeps one for, must still open a file.
test_process(fs_hjudge SOURCES ${d}/fs_hjudge.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
test_process(fs_hoarder SOURCES ${d}/fs_hoarder.c ARGS ${fs_test_args} PRIORITY 12)
qemu_test(NAME fs_hoard PROCESSES fs_hjudge fs_hoarder fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_hoarder: took [0-9]+ handles, then FS_EMFILE\n.*fs_hjudge: opened a file while the hoarder held the rest\nfs_hjudge: formatted while the hoarder held its files\n.*PASS"
    REJECT "ATTACK SUCCEEDED")

# A client writes until the disk is full: the judge, a logger the firmware
# keeps a directory and blocks for, must still append to its log.
test_process(fs_sjudge SOURCES ${d}/fs_sjudge.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
test_process(fs_filler SOURCES ${d}/fs_filler.c ARGS ${fs_test_args} PRIORITY 12)
qemu_test(NAME fs_space PROCESSES fs_sjudge fs_filler fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_filler: wrote [0-9]+ bytes, then -269\n.*fs_filler: every call that takes blocks refused\n.*fs_sjudge: appended [0-9]+ bytes to its log on the disk the filler filled\n.*PASS"
    REJECT "ATTACK SUCCEEDED")
# A logger that appends 5 of its 8 kept blocks (fs_sjudge6), when the blocks
# of a file's old version are held only by another handle of the filler's
# that stays open (fs_ghost); and after the plain filler (fs_space_ctl).
test_process(fs_sjudge6 SOURCES ${d}/fs_sjudge.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
target_compile_definitions(cmrxproc_fs_sjudge6 PRIVATE SJUDGE_DIR="/slog6" SJUDGE_BLOCKS=5u SJUDGE_HELD)
test_process(fs_ghost SOURCES ${d}/fs_ghost.c ARGS ${fs_test_args} PRIORITY 12)
qemu_test(NAME fs_space_held PROCESSES fs_sjudge6 fs_ghost fs emuflash IMAGE LABELS fs attack
    EXPECT "fs_ghost: /big [0-9]+ bytes held by an open handle; wrote [0-9]+ bytes, then -269; [0-9]+ files, then -269\n.*fs_sjudge: appended [0-9]+ bytes to its log on the disk the filler filled\n.*PASS"
    REJECT "ATTACK SUCCEEDED")
qemu_test(NAME fs_space_ctl PROCESSES fs_sjudge6 fs_filler fs emuflash IMAGE LABELS fs attack
    EXPECT "PASS" REJECT "ATTACK SUCCEEDED")

# The power-cut writer, booted again and again by tests/fs/powercut.py.
test_process(fs_pc SOURCES ${d}/fs_powercut.c SYSTEM ARGS ${fs_test_args} PRIORITY 10)
cmrx_add_firmware(NAME t_fs_powercut PROCESSES fs_pc fs emuflash)
# The tests know the limits they were built with.
foreach(p fs_basic fs_other fs_judge fs_writer fs_pc fs_edge fs_toctou fs_lkwait_j fs_lkwait_a fs_lkwait_v
        fs_lkstop_j fs_lkstop_a fs_kjudge fs_keeper fs_thief fs_hjudge fs_hoarder fs_sjudge fs_filler fs_sjudge6 fs_ghost)
    target_link_libraries(cmrxproc_${p} PRIVATE fs_config)
endforeach()
# Power cuts (tests/fs/powercut.py): a short series in every test run on the
# boards the issue names; scripts/powercut.sh runs the 100-cut series.
if(CMRX_BSP_NAME MATCHES "^qemu-mps2-an(385|505)$")
    set(test qemu.${CMRX_BSP_NAME}.fs_powercut)
    file(APPEND ${tests_file}
        "add_test(${test} \"${Python3_EXECUTABLE}\" ${d}/../../../tests/fs/powercut.py "
        "--sdk-tool ${CMRX_SDK_TOOL} --bsp ${CMRX_BSP_DIR} "
        "--elf ${CMAKE_BINARY_DIR}/t_fs_powercut.elf --work ${CMAKE_BINARY_DIR}/powercut "
        "--cuts 20)\n"
        "set_tests_properties(${test} PROPERTIES LABELS \"qemu;fs\" TIMEOUT 600)\n")
endif()
