/* kt.h: the unit-test harness. Each tests/unit/test_*.c is one program:
 * KT_TEST functions run by KT_RUN in main, which ends with KT_DONE().
 * A test fails when any KT_CHECK in it fails; the program prints one
 * "NAME: N passed, N failed" line and exits non-zero on any failure. */
#ifndef KT_H
#define KT_H
#include <stdio.h>
#include <string.h>

static int kt_pass_, kt_fail_, kt_cur_failed_;

/* Declares a test function. */
#define KT_TEST(name) static void name(void)
static const char *kt_prog_ = "unit";

#define KT_CHECK(cond)                                                         \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			kt_cur_failed_ = 1;                                    \
		}                                                              \
	} while (0)

#define KT_CHECK_STR(a, b)                                                     \
	do {                                                                   \
		const char *kt_a_ = (a), *kt_b_ = (b);                         \
		if (!kt_a_ || !kt_b_ || strcmp(kt_a_, kt_b_) != 0) {           \
			fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, kt_a_ ? kt_a_ : "(null)",            \
				kt_b_ ? kt_b_ : "(null)");                     \
			kt_cur_failed_ = 1;                                    \
		}                                                              \
	} while (0)

#define KT_CHECK_INT(a, b)                                                     \
	do {                                                                   \
		long long kt_a_ = (long long)(a), kt_b_ = (long long)(b);      \
		if (kt_a_ != kt_b_) {                                          \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",  \
				__FILE__, __LINE__, #a, kt_a_, kt_b_);         \
			kt_cur_failed_ = 1;                                    \
		}                                                              \
	} while (0)

#define KT_RUN(fn)                                                             \
	do {                                                                   \
		kt_cur_failed_ = 0;                                            \
		fn();                                                          \
		if (kt_cur_failed_) {                                          \
			kt_fail_++;                                            \
			fprintf(stderr, "FAIL %s\n", #fn);                     \
		} else {                                                       \
			kt_pass_++;                                            \
		}                                                              \
	} while (0)

#define KT_NAME(name) (kt_prog_ = (name))

#define KT_DONE()                                                              \
	do {                                                                   \
		printf("%s: %d passed, %d failed\n", kt_prog_, kt_pass_,       \
		       kt_fail_);                                              \
		return kt_fail_ ? 1 : 0;                                       \
	} while (0)

#endif
