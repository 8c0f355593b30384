# crc32_mpeg2(HEX OUT): the CRC the RP2040 boot ROM checks boot2 with
# (RP2040 datasheet 2.8.1: polynomial 0x04C11DB7, initial value 0xFFFFFFFF,
# input and output not reflected, no final XOR), of the bytes given as a
# hex string (file(READ ... HEX)). Written apart from the SDK's C code so
# that the build test checks the image independently of what made it.
function(crc32_mpeg2 hex out)
    set(crc 0xFFFFFFFF)
    string(LENGTH "${hex}" n)
    math(EXPR last "${n} - 2")
    foreach(i RANGE 0 ${last} 2)
        string(SUBSTRING "${hex}" ${i} 2 byte)
        math(EXPR crc "${crc} ^ (0x${byte} << 24)")
        foreach(bit RANGE 7)
            math(EXPR top "${crc} & 0x80000000")
            if(top)
                math(EXPR crc "((${crc} << 1) ^ 0x04C11DB7) & 0xFFFFFFFF")
            else()
                math(EXPR crc "(${crc} << 1) & 0xFFFFFFFF")
            endif()
        endforeach()
    endforeach()
    set(${out} ${crc} PARENT_SCOPE)
endfunction()
