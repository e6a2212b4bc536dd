// zlib, for FuzzIDX to gzip its inputs (the library's own CZlib module is internal to DendriteData).
#include <zlib.h>
