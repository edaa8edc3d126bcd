#!/bin/sh
# checksrc: what a formatter cannot see. Rejects
#  - banned C functions (sprintf, strcpy, strcat, strncpy, strtok, atoi, ...);
#  - SQL built from strings: only src/store may call the database libraries,
#    every statement elsewhere goes through kn_sql() (string literals only),
#    and the few constant scripts in src/store carry "checksrc: ok";
#  - markup outside the escaping HTML writer: HTML tags in string literals
#    outside src/view, and raw buffer writes in src/view pages;
#  - library headers outside the one module allowed to include each.
# Prints "checksrc: N passed, N failed" (one check per rule).
cd "$(dirname "$0")/.." || exit 2
pass=0
fail=0

check() { # name, offending lines (empty: the rule holds)
	if [ -n "$2" ]; then
		echo "checksrc: $1:"
		printf '%s\n' "$2" | sed 's/^/  /'
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}

# every C file, with string literals and comments blanked (grep -n format)
csrc=$(find src tests bench \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
code=$(for f in $csrc; do
	sed -E -e 's/"([^"\\]|\\.)*"/""/g' -e 's|/\*.*\*/||g' -e 's|^[[:space:]]*\*.*||' "$f" | grep -nE '.' | sed "s|^|$f:|"
done)
appcode=$(printf '%s\n' "$code" | grep -E '^(src|tests)/')

check "banned functions (use snprintf, memcpy, strtol, mkstemp)" "$(printf '%s\n' "$code" |
	grep -E '(^|[^A-Za-z0-9_])(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|atof|gets|system|tmpnam|mktemp)[[:space:]]*\(')"

check "database library calls outside src/store" "$(printf '%s\n' "$appcode" |
	grep -E 'sqlite3_(exec|prepare|prepare_v2|prepare_v3|step)|PQexec|PQprepare|PQsendQuery' | grep -v '^src/store/')"
check "unmarked script execution in src/store" "$(grep -nE 'sqlite3_exec|PQexec[^A-Za-z]' src/store/*.c | grep -v 'checksrc: ok')"
check "kn_db_query_ or kn_db_each_ called directly (use kn_sql or kn_sql_each with a literal)" "$(printf '%s\n' "$appcode" |
	grep -E 'kn_db_(query|each)_[[:space:]]*\(' | grep -vE '^src/store/store\.[ch]:')"

check "sqlite3.h or libpq-fe.h outside src/store" "$(grep -rnE '#include[[:space:]]*<(sqlite3|libpq-fe)\.h>' src | grep -v '^src/store/')"
check "microhttpd.h outside src/http/server.c" "$(grep -rnE '#include[[:space:]]*<microhttpd\.h>' src | grep -v '^src/http/server\.c:')"
check "cmark.h outside src/view/html.c" "$(grep -rnE '#include[[:space:]]*<cmark\.h>' src | grep -v '^src/view/html\.c:')"

tags='a|abbr|article|aside|b|body|br|button|caption|code|dd|details|div|dl|dt|em|fieldset|footer|form|h[1-6]|head|header|hr|html|i|img|input|label|legend|li|link|main|meta|nav|ol|option|p|pre|script|section|select|small|span|strong|style|summary|table|tbody|td|textarea|th|thead|time|title|tr|ul'
check "markup outside src/view" "$(grep -rnE "\"[^\"]*<(/?($tags)[ >/]|!doctype)[^\"]*\"" src --include='*.c' |
	grep -v '^src/view/' | grep -v 'checksrc: ok')"
check "raw buffer writes in src/view pages (use kn_h)" "$(grep -nE 'kn_buf_(add|adds|addc|printf|vprintf)[[:space:]]*\(' src/view/*.c |
	grep -vE '^src/view/(html|pages_static|ical|download)\.c:')"
# the event log is append-only: corrections are new events (docs/events.md)
check "UPDATE or DELETE of the event log outside tests" "$(grep -rniE '(UPDATE|DELETE[[:space:]]+FROM|REPLACE[[:space:]]+INTO)[[:space:]]+events([^_a-z]|$)' src bench 2>/dev/null)"

echo "checksrc: $pass passed, $fail failed"
[ $fail -eq 0 ]
