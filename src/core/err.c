/* err.c: names of the error codes, for logs and JSON error codes. */
#include "core/kn.h"

const char *kn_err_str(enum kn_err e)
{
	switch (e) {
	case KN_OK: return "ok";
	case KN_ENOMEM: return "out_of_memory";
	case KN_EINVAL: return "invalid";
	case KN_ENOTFOUND: return "not_found";
	case KN_ECONFLICT: return "conflict";
	case KN_EPERM: return "forbidden";
	case KN_EDB: return "database_error";
	case KN_EIO: return "io_error";
	case KN_ETOOBIG: return "too_large";
	case KN_ELIMIT: return "rate_limited";
	}
	return "unknown";
}
