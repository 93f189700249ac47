# cmake -DGZIP=gzip -DINPUT=FILE -DOUTPUT=FILE.gz -P gzip-file.cmake
# gzip -9n: the best compression, and neither the file's name nor its time in
# the header, as Debian wants (a package built twice is the same).
execute_process(COMMAND ${GZIP} -9n -c ${INPUT} OUTPUT_FILE ${OUTPUT} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    file(REMOVE ${OUTPUT})
    message(FATAL_ERROR "gzip ${INPUT}: ${result}")
endif()
