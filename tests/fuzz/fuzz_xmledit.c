/* fuzz_xmledit.c — libFuzzer target: the user's edited XML read back
 * (model/guest/xmledit.c): our error comment taken off, put on and taken
 * off again gives the same text; a change is never seen where only our
 * comment differs; the <uuid> check reads any text. The input's first
 * line is the error, the rest the edited text. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/guest/xmledit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *nl, *text, *body, *with, *again;
	const char *err;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	err = nl ? buf : "";
	text = nl ? nl + 1 : buf;
	if (nl)
		*nl = '\0';
	body = xmledit_strip_error(text);
	with = xmledit_add_error(text, err);
	again = xmledit_strip_error(with);
	if (strcmp(body, again) != 0) {
		fprintf(stderr, "the text changed through the error comment\n");
		abort();
	}
	if (strncmp(with, "<!-- vmtui: ", 12) != 0 || strstr(with + 4, "--") != strstr(with, "-->")) {
		fprintf(stderr, "the comment is not one well-formed XML comment\n");
		abort();
	}
	if (xmledit_differs(text, with) || xmledit_differs(body, text)) {
		fprintf(stderr, "a change seen where only our comment differs\n");
		abort();
	}
	(void)xmledit_refusal(text, "6fba9609-b91e-43bc-8ac3-367940688e64");
	free(body);
	free(with);
	free(again);
	free(buf);
	return 0;
}
