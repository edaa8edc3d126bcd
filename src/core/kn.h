/* kn.h: the few things every Kenes module shares: the error enum and attributes. */
#ifndef KN_H
#define KN_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define KN_MUST_USE __attribute__((warn_unused_result))
#define KN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define KN_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* One error enum for the whole program; 0 is success. */
enum kn_err {
	KN_OK = 0,
	KN_ENOMEM,    /* out of memory or a buffer's hard limit */
	KN_EINVAL,    /* bad input: the caller shows the message */
	KN_ENOTFOUND, /* no such record */
	KN_ECONFLICT, /* unique constraint or state conflict */
	KN_EPERM,     /* not allowed for this actor */
	KN_EDB,       /* database failure: logged, shown as 500 */
	KN_EIO,       /* file or network failure */
	KN_ETOOBIG,   /* input over a size limit */
	KN_ELIMIT,    /* rate limited */
};

const char *kn_err_str(enum kn_err e);

#endif
