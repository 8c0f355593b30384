# A test component: a client library and a process of its own.
cmrx_component_library(NAME test_counter SOURCES ${CMAKE_CURRENT_LIST_DIR}/counter_client.c
    INCLUDE_DIRS ${CMAKE_CURRENT_LIST_DIR})
cmrx_component_process(NAME comp_service SOURCES ${CMAKE_CURRENT_LIST_DIR}/service.c
    LIBS test_counter THREADS 1 PRIORITY 12)
