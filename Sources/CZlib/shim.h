// zlib from Debian's zlib1g-dev (inflate for OSM PBF blobs and .osm.gz files).
#include <zlib.h>
