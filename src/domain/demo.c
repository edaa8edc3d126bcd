/* demo.c: the National Council of Public Trust, as the article describes it.
 * Facts come from the article (seed/000_50db04386e990417.txt); dates the
 * article does not give are marked illustrative where they are shown. */
#include "domain/demo.h"
#include "core/arena.h"
#include "domain/account.h"
#include "domain/registry.h"
#include "domain/demo_loop.h"
#include "domain/demo_appeals.h"
#include "domain/consultation.h"
#include "store/store.h"
#include <sodium.h>
#include <string.h>

struct demo_person {
	const char *name, *name_ru, *name_kk, *bio;
};

/* People the article names. */
static const struct demo_person people[] = {
    {"Kassym-Jomart Tokayev", "Касым-Жомарт Токаев", "Қасым-Жомарт Тоқаев",
     "President of Kazakhstan; created the Council after his inauguration in June 2019 and chairs its meetings."},
    {"Gulmira Ileuova", "Гульмира Илеуова", "Гүлмира Ілеуова",
     "Expert; raised the restoration of the units protecting women and children from violence."},
    {"Emin Askerov", "Эмин Аскеров", "Эмин Аскеров",
     "Founder of the School of Social Entrepreneurship; proposals on the Social Code."},
    {"Marat Shibutov", "Марат Шибутов", "Марат Шибұтов",
     "Chairman of the Board of Trustees of the Public Anti-Corruption Fund \"Transparency Kazakhstan\"."},
    {"Daniyar Ashimbaev", "Данияр Ашимбаев", "Данияр Әшімбаев", "Political scientist."},
    {"Seidahmet Kuttykadam", "Сейдахмет Куттыкадам", "Сейдахмет Құттықадам", "Writer."},
    {"Aruzhan Sain", "Аружан Саин", "Аружан Сайын", "TV presenter."},
    {"Ermek Tursunov", "Ермек Турсунов", "Ермек Тұрсынов", "Film director."},
    {"Berik Abdygaliuly", "Берик Абдыгалиулы", "Берік Әбдіғалиұлы",
     "Expert; elected deputy of the Mazhilis (VII convocation) on 10 January 2021."},
    {"Kanat Nurov", "Канат Нуров", "Қанат Нұров",
     "Expert; elected deputy of the Mazhilis (VII convocation) on 10 January 2021."},
    {"Yerlan Sairov", "Ерлан Саиров", "Ерлан Саиров",
     "Expert; elected deputy of the Mazhilis (VII convocation) on 10 January 2021."},
    {"Aidos Sarym", "Айдос Сарым", "Айдос Сарым",
     "Expert; elected deputy of the Mazhilis (VII convocation) on 10 January 2021."},
    {"Yerlan Turgumbayev", "Ерлан Тургумбаев", "Ерлан Тұрғымбаев", "Minister of Internal Affairs."},
    {"Yerlan Karin", "Ерлан Карин", "Ерлан Қарин", "Assistant to the President."},
};

struct demo_agency {
	const char *slug, *en, *ru, *kk, *kind, *parent, *web;
};

static const struct demo_agency agencies[] = {
    {"presidential-administration", "Administration of the President of the Republic of Kazakhstan",
     "Администрация Президента Республики Казахстан", "Қазақстан Республикасы Президентінің Әкімшілігі",
     "administration", NULL, "https://www.akorda.kz"},
    {"mvd", "Ministry of Internal Affairs", "Министерство внутренних дел Республики Казахстан",
     "Қазақстан Республикасы Ішкі істер министрлігі", "ministry", NULL, ""},
    {"minfin", "Ministry of Finance", "Министерство финансов Республики Казахстан",
     "Қазақстан Республикасы Қаржы министрлігі", "ministry", NULL, ""},
    {"kgd", "State Revenue Committee", "Комитет государственных доходов", "Мемлекеттік кірістер комитеті",
     "committee", "minfin", ""},
    {"minjust", "Ministry of Justice", "Министерство юстиции Республики Казахстан",
     "Қазақстан Республикасы Әділет министрлігі", "ministry", NULL, ""},
    {"mio", "Ministry of Information and Social Development",
     "Министерство информации и общественного развития Республики Казахстан",
     "Қазақстан Республикасы Ақпарат және қоғамдық даму министрлігі", "ministry", NULL, ""},
    {"mlsp", "Ministry of Labour and Social Protection of the Population",
     "Министерство труда и социальной защиты населения Республики Казахстан",
     "Қазақстан Республикасы Еңбек және халықты әлеуметтік қорғау министрлігі", "ministry", NULL, ""},
};

struct demo_account {
	const char *login, *name, *role, *scope;
	int person; /* index into people, or -1 */
};

static const struct demo_account accounts[] = {
    {"operator", "Platform operator", "operator", NULL, -1},
    {"chair", "Kassym-Jomart Tokayev", "chair", "ncpt", 0},
    {"secretary", "Council secretariat", "secretary", "ncpt", -1},
    {"member", "Marat Shibutov", "member", "ncpt", 3},
    {"officer", "Officer, Ministry of Internal Affairs", "officer", "mvd", -1},
    {"officer-kgd", "Officer, State Revenue Committee", "officer", "kgd", -1},
    {"citizen", "A citizen", NULL, NULL, -1},
};

static enum kn_err password_for(struct kn_ctx *x, const char *fixed, const char **out)
{
	if (fixed) {
		*out = fixed;
		return KN_OK;
	}
	/* 12 random bytes, base64url: 16 characters, easy to copy */
	unsigned char raw[12];
	randombytes_buf(raw, sizeof(raw));
	char *b64 = kn_alloc(x->a, 32);
	sodium_bin2base64(b64, 32, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*out = b64;
	return KN_OK;
}

enum kn_err kn_demo_load(struct kn_ctx *x, const char *password, FILE *out)
{
	struct kn_rows *r;
	enum kn_err rc = kn_sql0(x->c, x->a, &r, "SELECT COUNT(*) FROM councils");
	if (rc)
		return rc;
	if (kn_row_i(r, 0, 0) > 0)
		return KN_ECONFLICT;
	int64_t pid[KN_ARRAY_LEN(people)];
	for (size_t i = 0; i < KN_ARRAY_LEN(people); i++) {
		struct kn_person p = {.full_name = people[i].name, .full_name_ru = people[i].name_ru,
		                      .full_name_kk = people[i].name_kk, .bio = people[i].bio};
		if ((rc = kn_person_create(x, &p, &pid[i])))
			return rc;
	}
	for (size_t i = 0; i < KN_ARRAY_LEN(agencies); i++) {
		struct kn_agency g = {.slug = agencies[i].slug, .name_en = agencies[i].en, .name_ru = agencies[i].ru,
		                      .name_kk = agencies[i].kk, .kind = agencies[i].kind, .parent_key = agencies[i].parent,
		                      .website = agencies[i].web};
		int64_t id;
		if ((rc = kn_agency_save(x, &g, &id)))
			return rc;
	}
	struct kn_council kurultai = {
	    .slug = "national-kurultai",
	    .name_en = "National Kurultai",
	    .name_ru = "Национальный курултай",
	    .name_kk = "Ұлттық құрылтай",
	    .description = "Succeeded the National Council of Public Trust in 2022.\n\n"
	                   "*The founding date shown is illustrative: the source article does not give it.*",
	    .chair_person_id = pid[0],
	    .founded_on = "2022-06-16",
	    .timezone = "Asia/Almaty",
	};
	int64_t kid, nid;
	if ((rc = kn_council_save(x, &kurultai, &kid)))
		return rc;
	struct kn_council ncpt = {
	    .slug = "ncpt",
	    .name_en = "National Council of Public Trust",
	    .name_ru = "Национальный совет общественного доверия",
	    .name_kk = "Ұлттық қоғамдық сенім кеңесі",
	    .description =
	        "Created on the initiative of President Kassym-Jomart Tokayev after his inauguration in June 2019: "
	        "\"Different opinions, but one nation.\" The President heads the Council and takes part in all its "
	        "meetings. Working groups on political, economic and socio-cultural modernization; the last was later "
	        "split into social and spiritual-cultural modernization. Three rotations in one year; 24 individual "
	        "meetings of the President with members; the package of political reforms fully implemented with 7 "
	        "laws adopted; 9 members elected to the Mazhilis on 10 January 2021. Results were announced on the "
	        "Council's Telegram channel Ulttyq_kenes.\n\n"
	        "*The founding and dissolution dates shown are illustrative: the source article gives only the year "
	        "and the month of the inauguration.*",
	    .chair_person_id = pid[0],
	    .founded_on = "2019-07-17",
	    .dissolved_on = "2022-06-16",
	    .succeeded_by_key = "national-kurultai",
	    .seats = 44,
	    .timezone = "Asia/Almaty",
	};
	if ((rc = kn_council_save(x, &ncpt, &nid)))
		return rc;
	if ((rc = kn_demo_composition(x, nid)))
		return rc;
	if ((rc = kn_demo_loop(x, nid)))
		return rc;

	if (out)
		fputs("Demo accounts (login / password):\n", out);
	for (size_t i = 0; i < KN_ARRAY_LEN(accounts); i++) {
		const char *pw;
		int64_t uid;
		password_for(x, password, &pw);
		if ((rc = kn_account_register(x, accounts[i].login, accounts[i].name, NULL, pw, &uid)))
			return rc;
		if (accounts[i].role && (rc = kn_role_grant(x, accounts[i].login, accounts[i].role, accounts[i].scope)))
			return rc;
		if (accounts[i].person >= 0 &&
		    (rc = kn_sql(x->c, x->a, NULL, "UPDATE persons SET user_id = $1 WHERE id = $2", KN_INT(uid),
		                 KN_INT(pid[accounts[i].person]))))
			return rc;
		if (out)
			fprintf(out, "  %-12s %s  (%s%s%s)\n", accounts[i].login, pw,
			        accounts[i].role ? accounts[i].role : "citizen", accounts[i].scope ? " of " : "",
			        accounts[i].scope ? accounts[i].scope : "");
	}
	if ((rc = kn_demo_appeals(x, nid)))
		return rc;
	if ((rc = kn_demo_consultation(x, nid))) /* "Different opinions, but one nation": demo_consultation.c */
		return rc;
	return KN_OK;
}
