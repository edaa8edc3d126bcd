#!/bin/sh
# po-check.sh: fails when a string marked for translation in src/ has no
# finished translation in po/ru.po or po/kk.po.
#
# It extracts a fresh template from the sources (the same xgettext command as
# the Makefile's po/kenes.pot rule), merges each catalog with it in a
# temporary directory (po/ is not touched), and counts a language as failed
# when the merged catalog has an untranslated or fuzzy message, or does not
# pass msgfmt --check. Prints "i18n: N passed, N failed" and exits 1 on any
# failure. To fix: make po/kenes.pot, msgmerge --update po/LANG.po
# po/kenes.pot, translate, remove the fuzzy marks.
set -u
cd "$(dirname "$0")/.." || exit 2

for tool in xgettext msgmerge msgattrib msgfmt; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "po-check: $tool not found (install gettext)" >&2
		exit 2
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/po-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

# The xgettext options are the Makefile's XGETTEXT_FLAGS (the po/kenes.pot
# rule), read from the Makefile so the two cannot drift apart.
flags=$(awk '
	/^XGETTEXT_FLAGS[ \t]*:?=/ { on = 1; sub(/^XGETTEXT_FLAGS[ \t]*:?=[ \t]*/, "") }
	on { line = $0; more = sub(/\\$/, "", line); printf "%s ", line; if (!more) exit }
' Makefile)
case $flags in
*'$'* | '') echo "po-check: cannot read XGETTEXT_FLAGS from the Makefile" >&2; exit 2 ;;
esac
find src -name '*.c' | sort >"$tmp/files"
# $flags is split into words on purpose
# shellcheck disable=SC2086
if ! xgettext $flags -o "$tmp/kenes.pot" -f "$tmp/files" 2>"$tmp/xgettext.err"; then
	cat "$tmp/xgettext.err" >&2
	echo "po-check: xgettext failed" >&2
	exit 2
fi

# msgids of a catalog, one a line (continuation lines joined, header skipped).
msgids()
{
	awk '
		/^msgid "/ { s = substr($0, 8); sub(/"$/, "", s); inid = 1; next }
		inid && /^"/ { t = substr($0, 2); sub(/"$/, "", t); s = s t; next }
		inid { if (s != "") print "    " s; inid = 0 }
	' "$1"
}

passed=0
failed=0
for lang in ru kk; do
	po=po/$lang.po
	ok=1
	if [ ! -f "$po" ]; then
		echo "i18n $lang: $po is missing"
		failed=$((failed + 1))
		continue
	fi
	if ! msgmerge --quiet --no-wrap -o "$tmp/$lang.po" "$po" "$tmp/kenes.pot"; then
		echo "i18n $lang: msgmerge failed on $po"
		failed=$((failed + 1))
		continue
	fi
	# msgattrib writes no file when nothing matches
	: >"$tmp/$lang.untr"
	: >"$tmp/$lang.fuzzy"
	msgattrib --untranslated --no-obsolete --no-wrap -o "$tmp/$lang.untr" "$tmp/$lang.po"
	msgattrib --only-fuzzy --no-obsolete --no-wrap -o "$tmp/$lang.fuzzy" "$tmp/$lang.po"
	msgids "$tmp/$lang.untr" >"$tmp/$lang.untr.ids"
	msgids "$tmp/$lang.fuzzy" >"$tmp/$lang.fuzzy.ids"
	if [ -s "$tmp/$lang.untr.ids" ]; then
		echo "i18n $lang: $(wc -l <"$tmp/$lang.untr.ids" | tr -d ' ') untranslated in $po:"
		cat "$tmp/$lang.untr.ids"
		ok=0
	fi
	if [ -s "$tmp/$lang.fuzzy.ids" ]; then
		echo "i18n $lang: $(wc -l <"$tmp/$lang.fuzzy.ids" | tr -d ' ') fuzzy in $po:"
		cat "$tmp/$lang.fuzzy.ids"
		ok=0
	fi
	# a fuzzy header (a catalog never filled in) is not in the list above
	if grep -q '^#,.*fuzzy' "$tmp/$lang.po" && ! [ -s "$tmp/$lang.fuzzy.ids" ]; then
		echo "i18n $lang: the header of $po is marked fuzzy"
		ok=0
	fi
	if ! msgfmt --check -o /dev/null "$tmp/$lang.po" 2>"$tmp/$lang.msgfmt"; then
		echo "i18n $lang: msgfmt --check fails:"
		sed 's/^/    /' "$tmp/$lang.msgfmt"
		ok=0
	fi
	if [ $ok = 1 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done

echo "i18n: $passed passed, $failed failed"
[ $failed = 0 ]
