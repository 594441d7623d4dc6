/* staff.c: the staff account rows. */
#include <string.h>

#include "base/i18n.h"
#include "rules/domain.h"
#include "store/staff.h"

const char *const staff_role_names[ROLE__MAX] = { "cs", "merchant", "arbiter", "admin" };
const char *const staff_role_labels[ROLE__MAX] = { N_("客服"), N_("商家"), N_("平台仲裁"), N_("管理员") };

enum rd_err
staff_load(struct db *db, struct arena *a, const char *login, struct staff *s, const char **pwhash)
{
	struct dbval p[] = { DB_STR(login) };
	struct dbres res;
	enum rd_err e;

	if ((e = db_query(db, a, Q_STAFF_BY_LOGIN, p, 1, &res)) != RD_OK)
		return e;
	if (res.nrows == 0)
		return RD_ERR_NOTFOUND;
	int role = ENUM_LOOKUP(staff_role_names, db_cell(&res, 0, 2));
	if (role < 0)
		return RD_ERR_NOTFOUND;
	s->id = db_cell_int(&res, 0, 0);
	s->login = db_cell(&res, 0, 1);
	s->role = (enum staff_role)role;
	s->merchant_id = db_cell(&res, 0, 3);
	s->gen = db_cell_int(&res, 0, 5);
	if (pwhash != NULL)
		*pwhash = db_cell(&res, 0, 4);
	return RD_OK;
}

enum rd_err
staff_gen_bump(struct db *db, long long id)
{
	struct dbval p[] = { DB_INT(id) };
	return db_exec(db, Q_STAFF_GEN_BUMP, p, 1, NULL, NULL);
}
