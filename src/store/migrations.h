/* migrations.h: the sql/ migrations compiled into the binary (the C file is
 * generated from the sql/ files at build time by src/embed_sql.sh). */
#ifndef RD_MIGRATIONS_H
#define RD_MIGRATIONS_H

struct migration {
	int version;        /* NNN of sql/NNN_name.sql */
	const char *name;   /* "001_init.sql" */
	const char *sql;
};

/* In ascending version order, ended by an entry whose name is NULL. */
extern const struct migration rd_migrations[];

#endif
