/* i18n.h: interface strings through gettext catalogs. Strings are marked
 * with _() (translated now) or N_() (marked, translated later with
 * kn_gettext); xgettext extracts them into po/kenes.pot, translators fill
 * po/ru.po and po/kk.po, msgfmt compiles them to .mo files which this
 * module reads. The language is per thread (per request), so one server
 * answers each visitor in their own language; no system locale is needed. */
#ifndef KN_I18N_H
#define KN_I18N_H
#include "core/kn.h"

#define KN_NLANGS 3
extern const char *const kn_langs[KN_NLANGS]; /* "en", "ru", "kk" */

/* Loads DIR/ru.mo and DIR/kk.mo; missing files leave that language
 * untranslated (English shows). Returns how many catalogs loaded; a
 * corrupt catalog is refused and logged. Call once at start-up. */
int kn_i18n_load(const char *dir);
void kn_i18n_free(void);
/* Parses a .mo image into a catalog for lang (used by load and fuzzing);
 * the data must stay alive while the catalog is used. */
enum kn_err kn_i18n_add(const char *lang, const unsigned char *data, size_t len);

/* Sets this thread's language (one of kn_langs; anything else: "en"). */
void kn_i18n_set(const char *lang);
const char *kn_i18n_get(void);
const char *kn_lang_canon(const char *lang); /* returns the kn_langs entry or NULL */
/* Translates msgid into this thread's language; returns msgid itself when
 * there is no translation. */
const char *kn_gettext(const char *msgid);

/* The form of a word for the count n in this thread's language (Russian
 * has three, Kazakh and English two); the English forms when untranslated. */
const char *kn_ngettext(const char *singular, const char *plural, long n);

#define _(s) kn_gettext(s)
#define NG_(s, p, n) kn_ngettext((s), (p), (n))
#define N_(s) (s)

#endif
