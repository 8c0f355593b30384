# Whether this machine can build and run board host (the host simulation,
# kernel/arch/sim): its port saves and restores the x86-64 registers of a
# Linux process. Used by cmrx.cmake, which refuses the board elsewhere, and
# by the SDK's own tests, which then leave the host suite out.
#   cmrx_host_sim_supported(var)   var: TRUE or FALSE
function(cmrx_host_sim_supported out)
    if(CMAKE_HOST_SYSTEM_NAME STREQUAL "Linux" AND
       CMAKE_HOST_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
        set(${out} TRUE PARENT_SCOPE)
    else()
        set(${out} FALSE PARENT_SCOPE)
    endif()
endfunction()
