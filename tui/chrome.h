/* chrome.h — the header, the footer and the overlays around the view;
 * for the loop in app.c. */
#ifndef VMTUI_CHROME_H
#define VMTUI_CHROME_H

#include <stdbool.h>
#include <wchar.h>

struct app;

void chrome_header(struct app *a);
void chrome_footer(struct app *a);
/* The question and the host's question, over the body. */
void chrome_overlays(struct app *a);
/* An open question or prompt takes the key: true, with *rc what it
 * returned. */
bool chrome_key(struct app *a, wint_t wc, bool is_key, int *rc);
/* Show a host's pending question, one at a time (host locks not held). */
void chrome_check_questions(struct app *a);

#endif
