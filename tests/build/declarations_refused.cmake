# Process declarations the CMake SDK must refuse when the firmware is
# configured, with a message naming the process and the key: the rules of
# cmrx.yaml (kernel/tools/shared/limits.h), checked by cmrx-sdk check.
#   cmake -DSOURCE=... -DBINARY=... -DBOARD=... -DCMRX_DIR=... -P declarations_refused.cmake
cmake_minimum_required(VERSION 3.24)
include(${CMAKE_CURRENT_LIST_DIR}/try.cmake)
file(REMOVE_RECURSE "${BINARY}")

# refuse(NAME FROM TO "regex"): the example with FROM replaced by TO.
function(refuse name from to regex)
    file(COPY "${SOURCE}/" DESTINATION "${BINARY}/${name}/src")
    file(READ "${BINARY}/${name}/src/CMakeLists.txt" text)
    string(REPLACE "${from}" "${to}" text "${text}")
    file(WRITE "${BINARY}/${name}/src/CMakeLists.txt" "${text}")
    set(SOURCE "${BINARY}/${name}/src")
    try(${name} CONFIGURE "${regex}")
    set(failures "${failures}" PARENT_SCOPE)
endfunction()

refuse(policy "PRIORITY 10)" "PRIORITY 10 FAULT_POLICY explode)"
    "processes\\[1\\].fault_policy' must be kill-thread, kill-process or restart")
refuse(priority "PRIORITY 10)" "PRIORITY 31)" "processes\\[1\\].priority' is 31; it must be 0..30")
refuse(stack "STACK_SIZE 512" "STACK_SIZE 100" "processes\\[1\\].stack_size' is 100; it must be")
refuse(oddstack "STACK_SIZE 512" "STACK_SIZE 516" "processes\\[1\\].stack_size' must be a multiple of 8")
refuse(irq "PRIORITY 10)" "PRIORITY 10 IRQS 1 1)" "interrupt 1 is listed twice")
refuse(ceiling "PRIORITY 10)" "PRIORITY 10 MAX_PRIORITY 12)"
    "processes\\[1\\].max_priority' is 12; it must be 0 \\(highest\\) .. 10")
refuse(callers "PRIORITY 10)" "PRIORITY 10 CALLERS sensr)"
    "process rogue serves only sensr \\(callers\\), and firmware demo has none of them")
refuse(callers_self "PRIORITY 10)" "PRIORITY 10 CALLERS rogue)"
    "process rogue serves only rogue \\(callers\\), and firmware demo has none of them")
# One name right, one misspelt: the firmware builds, but sensr would be
# served never.
refuse(callers_unknown "PRIORITY 10)" "PRIORITY 10 CALLERS sensor sensr)"
    "process rogue: CALLERS \\(cmrx.yaml: callers\\) names 'sensr', which is no process of this project \\(its processes: [a-z_, ]*sensor")
refuse(callers_name "PRIORITY 10)" "PRIORITY 10 CALLERS 9lives)"
    "processes\\[1\\].callers': '9lives' is not a process name")
# A component's `owners` setting: ids in its range, each kept once.
set(qs "cmrx_use_board(\${BOARD})\ninclude(\${CMRX_DIR}/components/queue-server/component.cmake)")
refuse(owners_twice "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_OWNERS 3:sensor 3:rogue)\n${qs}"
    "queue-server: setting 'owners' holds '3:rogue'; it must be a list of ID:process, each ID a whole number from 0 to 7 given once")
refuse(owners_zero "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_OWNERS 3:sensor 003:rogue)\n${qs}"
    "queue-server: setting 'owners' holds '003:rogue'")
refuse(owners_range "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_OWNERS 8:sensor)\n${qs}"
    "queue-server: setting 'owners' holds '8:sensor'")
refuse(owners_form "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_OWNERS sensor)\n${qs}"
    "queue-server: setting 'owners' holds 'sensor'")
# A name no process of the project has would keep the number for nobody.
refuse(owners_unknown "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_OWNERS 3:sensr)\n${qs}"
    "queue-server: setting 'owners' names 'sensr' \\(cmrx.yaml: settings.queue-server.owners, CMake: QUEUE_SERVER_OWNERS\\), which is no process of this project \\(its processes: [a-z_, ]*sensor")
# A names setting (a component's callers) with a name no process has: the
# other name keeps the build going, and the misspelt one would be served
# never.
refuse(names_unknown "cmrx_use_board(\${BOARD})"
    "set(EMUFLASH_CALLERS sensor sensr)\ncmrx_use_board(\${BOARD})\ninclude(\${CMRX_DIR}/components/emuflash/component.cmake)"
    "emuflash: setting 'callers' names 'sensr' \\(cmrx.yaml: settings.emuflash.callers, CMake: EMUFLASH_CALLERS\\), which is no process of this project")
# queue-server's parts of the pool: whole words, together within the pool.
refuse(parts_odd "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_RESERVE 6:sensor)\n${qs}"
    "queue-server: setting 'reserve' holds '6:sensor'; each count must be a multiple of 4")
refuse(parts_sum "cmrx_use_board(\${BOARD})" "set(QUEUE_SERVER_RESERVE 4000:sensor 100:rogue)\n${qs}"
    "queue-server: setting 'reserve' keeps 4100 bytes in 2 entries; at most the pool \\(4096\\) in at most 8")
# A setting of type counts (the netstack's reserve): each process once,
# and no more than the table holds (checked before lwIP is looked for).
set(ns "cmrx_use_board(\${BOARD})\ninclude(\${CMRX_DIR}/components/netstack/component.cmake)")
refuse(counts_twice "cmrx_use_board(\${BOARD})" "set(NETSTACK_RESERVE 2:sensor 3:sensor)\n${ns}"
    "netstack: setting 'reserve' holds '3:sensor'; it must be a list of N:process, each N a whole number from 1 to 64, each process once")
refuse(counts_sum "cmrx_use_board(\${BOARD})" "set(NETSTACK_RESERVE 6:sensor 5:rogue)\n${ns}"
    "netstack: setting 'reserve' keeps 11 sockets in 2 entries; at most 'sockets' \\(8\\) in at most 8")
set(fs "set(FS_FORMAT sensor)\ncmrx_use_board(\${BOARD})\ninclude(\${CMRX_DIR}/components/fs/component.cmake)")
# fs's reserve: what it keeps fits in its open files, in the entries
# <cmrx/process.h> gives a kept table (CMRX_KEPT_MAX, read by cmrx.cmake).
refuse(fs_reserve_sum "cmrx_use_board(\${BOARD})" "set(FS_RESERVE 3:sensor 2:rogue)\n${fs}"
    "fs: setting 'reserve' keeps 5 open files in 2 entries; at most 'open_files' \\(4\\) in at most 8")
# fs's owners (type dirs): each a top-level directory, kept once, for a
# process of the project; and with them, the processes that may format.
set(dirs_rule "it must be a list of /dir:process, each dir a top-level directory \\(one name of letters, digits, '_', '-' and '.', not . or ..\\) given once, e.g. \\[/logs:logger\\] \\(cmrx.yaml: settings.fs.owners, CMake: FS_OWNERS\\)")
refuse(dirs_deep "cmrx_use_board(\${BOARD})" "set(FS_OWNERS /logs/old:sensor)\n${fs}"
    "fs: setting 'owners' holds '/logs/old:sensor'; ${dirs_rule}")
refuse(dirs_relative "cmrx_use_board(\${BOARD})" "set(FS_OWNERS logs:sensor)\n${fs}"
    "fs: setting 'owners' holds 'logs:sensor'; it must be")
refuse(dirs_dots "cmrx_use_board(\${BOARD})" "set(FS_OWNERS /..:sensor)\n${fs}"
    "fs: setting 'owners' holds '/..:sensor'; it must be")
refuse(dirs_twice "cmrx_use_board(\${BOARD})" "set(FS_OWNERS /logs:sensor /logs:rogue)\n${fs}"
    "fs: setting 'owners' holds '/logs:rogue'; it must be")
# A misspelt owner keeps the directory for nobody (checked once every
# process is declared: littlefs's sources stand in empty).
refuse(dirs_unknown "cmrx_use_board(\${BOARD})"
    "file(WRITE \${CMAKE_BINARY_DIR}/lfs/lfs.c \"\")\nfile(WRITE \${CMAKE_BINARY_DIR}/lfs/lfs_util.c \"\")\nset(LITTLEFS_DIR \${CMAKE_BINARY_DIR}/lfs)\nset(FS_OWNERS /logs:sensr)\n${fs}"
    "fs: setting 'owners' names 'sensr' \\(cmrx.yaml: settings.fs.owners, CMake: FS_OWNERS\\), which is no process of this project")
# fs's space (type counts): N:process, each process once, a sum fs can
# count (the device's size is known at run time only); a misspelt name
# would keep the blocks for nobody.
set(space_rule "it must be a list of N:process, each N a whole number from 1 to 65535, each process once, e.g. \\[1:logger\\] \\(cmrx.yaml: settings.fs.space, CMake: FS_SPACE\\)")
refuse(space_twice "cmrx_use_board(\${BOARD})" "set(FS_SPACE 2:sensor 3:sensor)\n${fs}"
    "fs: setting 'space' holds '3:sensor'; ${space_rule}")
refuse(space_zero "cmrx_use_board(\${BOARD})" "set(FS_SPACE 0:sensor)\n${fs}"
    "fs: setting 'space' holds '0:sensor'; ${space_rule}")
refuse(space_form "cmrx_use_board(\${BOARD})" "set(FS_SPACE sensor)\n${fs}"
    "fs: setting 'space' holds 'sensor'; ${space_rule}")
refuse(space_sum "cmrx_use_board(\${BOARD})" "set(FS_SPACE 40000:sensor 30000:rogue)\n${fs}"
    "fs: setting 'space' keeps 70000 blocks in 2 entries; at most what fs counts \\(65535\\) in at most 8")
refuse(space_unknown "cmrx_use_board(\${BOARD})"
    "file(WRITE \${CMAKE_BINARY_DIR}/lfs/lfs.c \"\")\nfile(WRITE \${CMAKE_BINARY_DIR}/lfs/lfs_util.c \"\")\nset(LITTLEFS_DIR \${CMAKE_BINARY_DIR}/lfs)\nset(FS_SPACE 16:sensr)\n${fs}"
    "fs: setting 'space' names 'sensr' \\(cmrx.yaml: settings.fs.space, CMake: FS_SPACE\\), which is no process of this project")
# Kept directories and nobody named to format: a format would erase them.
refuse(dirs_format "cmrx_use_board(\${BOARD})"
    "set(FS_OWNERS /logs:sensor)\ncmrx_use_board(\${BOARD})\ninclude(\${CMRX_DIR}/components/fs/component.cmake)"
    "fs: setting 'owners' keeps directories \\(/logs:sensor\\), which a format would erase with everything else: name the processes that may call fs_format\\(\\) in setting 'format'")

if(failures)
    message(FATAL_ERROR "FAILED:${failures}")
endif()
message("OK: declarations cmrx.yaml refuses are refused by the CMake SDK at configure time")
