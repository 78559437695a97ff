/* json.h — the little JSON vmtui reads and writes: strings escaped for
 * output, and a parser of one document (a line of a recording) into a
 * tree whose nodes remember their column for error messages. */
#ifndef VMTUI_JSON_H
#define VMTUI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write s as a JSON string with its quotes: ", \ and control characters
 * escaped, UTF-8 passed through, invalid UTF-8 bytes as U+FFFD; null
 * when s is NULL. */
void json_put_string(FILE *f, const char *s);
/* A finite number as JSON with `decimals` digits after the point, or null
 * when v is negative (unknown) or not finite. */
void json_put_number(FILE *f, double v, int decimals);

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	size_t col;          /* 1-based column where the value starts */
	bool b;
	double num;
	char *str;           /* JSON_STRING: decoded UTF-8 (no NUL inside) */
	struct json *items;  /* JSON_ARRAY and JSON_OBJECT values */
	char **keys;         /* JSON_OBJECT keys, parallel to items */
	size_t n;
};

/* Parse exactly one JSON value filling text[0..len). Returns a tree to
 * free with json_free, or NULL with *col and *why (static text) saying
 * where and what is wrong. */
struct json *json_parse(const char *text, size_t len, size_t *col, const char **why);
void json_free(struct json *j);

/* The member `key` of an object, or NULL (also when j is no object). */
const struct json *json_get(const struct json *j, const char *key);

/* A name for the type, for messages ("a string"). */
const char *json_type_name(enum json_type t);

#endif
