/* event_labels.c: how event actions read in the history tables. */
#include "core/i18n.h"
#include "view/view.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *action, *label;
} labels[] = {
    {"account_linked", N_("account linked")},
    {"agenda_item_added", N_("agenda item added")},
    {"agenda_item_removed", N_("agenda item removed")},
    {"attendance", N_("attendance recorded")},
    {"cancelled", N_("cancelled")},
    {"career_recorded", N_("later career recorded")},
    {"completed", N_("completed")},
    {"cosigned", N_("co-signed")},
    {"created", N_("created")},
    {"drafted", N_("drafted")},
    {"edited", N_("edited")},
    {"ended", N_("ended")},
    {"extension_granted", N_("extension granted")},
    {"extension_refused", N_("extension refused")},
    {"extension_requested", N_("extension requested")},
    {"held", N_("held")},
    {"issued", N_("issued")},
    {"item_added", N_("item added")},
    {"leader_set", N_("leader set")},
    {"member_joined", N_("member joined")},
    {"member_left", N_("member left")},
    {"minutes", N_("minutes recorded")},
    {"put_on_agenda", N_("put on the agenda")},
    {"quotas_set", N_("quotas set")},
    {"recorded", N_("recorded")},
    {"reset", N_("reset")},
    {"role granted", N_("role granted")},
    {"role revoked", N_("role revoked")},
    {"scheduled", N_("scheduled")},
    {"stage", N_("stage changed")},
    {"submitted_by_citizen", N_("submitted by a citizen")},
    {"taken_off_agenda", N_("taken off the agenda")},
    {"taken_up", N_("taken up by a member")},
    {"updated", N_("updated")},
    {"accepted", N_("accepted")},
    {"acknowledged", N_("acknowledged")},
    {"breach", N_("deadline missed")},
    {"closed", N_("closed")},
    {"duplicate", N_("marked as a duplicate")},
    {"filed", N_("filed")},
    {"forwarded", N_("forwarded to an agency")},
    {"hidden", N_("text hidden by moderation")},
    {"info_requested", N_("more information requested")},
    {"merged", N_("merged")},
    {"moderated", N_("moderated")},
    {"rejected", N_("rejected")},
    {"reminder", N_("reminder sent")},
    {"reopened", N_("reopened")},
    {"replied", N_("replied")},
    {"reported", N_("reported")},
    {"resolved", N_("resolved")},
    {"returned", N_("returned for rework")},
    {"split", N_("split")},
    {"submitted", N_("submitted")},
    {"withdrawn", N_("withdrawn")},
    {"in_review", N_("in group review")},
    {"in_progress", N_("in progress")},
    {"started", N_("work started")},
    /* the records of their own (record_kinds.c): reports, extensions, reform items, appeals */
    {"added", N_("added")},
    {"filed_as_done", N_("filed: the work is done")},
    {"granted", N_("granted")},
    {"marked_illustrative", N_("marked as illustrative")},
    {"refused", N_("refused")},
    {"reported_done", N_("reported as done")},
    {"requested", N_("requested")},
    /* actor roles */
    {"filer", N_("filer")},
    {"system", N_("system")},
    {"public", N_("public")},
    {"operator", N_("operator")},
};

/* The table sorted by action once, for a binary search: a history of ten
 * events looks up twenty words. */
#define NLABELS (sizeof(labels) / sizeof(labels[0]))
static int sorted[NLABELS];
static pthread_once_t sort_once = PTHREAD_ONCE_INIT;

static int by_action(const void *a, const void *b)
{
	return strcmp(labels[*(const int *)a].action, labels[*(const int *)b].action);
}

static void sort_labels(void)
{
	for (size_t i = 0; i < NLABELS; i++)
		sorted[i] = (int)i;
	qsort(sorted, NLABELS, sizeof(sorted[0]), by_action);
}

/* The words for an event action (untranslated msgid), or NULL when the
 * action has none: the caller shows it as it is. */
const char *kn_event_label(const char *action)
{
	if (!action)
		return NULL;
	pthread_once(&sort_once, sort_labels);
	size_t lo = 0, hi = NLABELS;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(action, labels[sorted[mid]].action);
		if (!c)
			return labels[sorted[mid]].label;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
