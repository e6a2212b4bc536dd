// zlib, for DendriteData's gzip reader (MNIST .gz files). Linux: apt-get install zlib1g-dev.
#include <zlib.h>
