/* fuzz_jsonkeys.c: json_keys.c over every text json-c's strict parser
 * accepts (the only texts the API hands it): no crash and no read past the
 * end on any of them (ASan sees an exact-size copy), and no duplicate found
 * in json-c's own output, which keeps one member per key.
 *   scripts/fuzz jsonkeys 60 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/arena.h"
#include "web/json_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	bool nomem;

	if (size > 65536)
		return 0;
	json_tokener *tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *root = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	bool whole = root != NULL && json_tokener_get_parse_end(tok) == size;
	json_tokener_free(tok);
	if (!whole) {
		json_object_put(root);
		return 0;
	}
	arena_init(&a, 1 << 24);
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	(void)json_dup_keys(copy, size, &a, &nomem);
	free(copy);
	/* json-c keeps one member per key: its own text has no duplicates. */
	const char *out = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	if (json_dup_keys(out, strlen(out), &a, &nomem) && !nomem)
		abort();
	json_object_put(root);
	arena_free(&a);
	return 0;
}
