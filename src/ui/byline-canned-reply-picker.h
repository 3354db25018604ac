/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-canned-reply-picker.h: the button beside a reply box that lists the site's canned
 * replies and inserts the one picked, its {name} and {post} filled in, where the cursor is. */
#pragma once

#include <adwaita.h>

#include "byline-comment.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_CANNED_REPLY_PICKER (byline_canned_reply_picker_get_type ())
G_DECLARE_FINAL_TYPE (BylineCannedReplyPicker, byline_canned_reply_picker, BYLINE,
                      CANNED_REPLY_PICKER, GtkWidget)

GtkWidget *byline_canned_reply_picker_new         (void);
/* The box the replies go in; Ctrl+Shift+R there opens the list. */
void       byline_canned_reply_picker_set_view    (BylineCannedReplyPicker *self,
                                                   GtkTextView             *view);
void       byline_canned_reply_picker_set_store   (BylineCannedReplyPicker *self,
                                                   BylineStore             *store);
/* The comment replied to: its site's replies are listed, its author and post fill them in.
 * NULL: nothing to list. */
void       byline_canned_reply_picker_set_comment (BylineCannedReplyPicker *self,
                                                   BylineComment           *comment);
/* Opens the list, its first reply focused. */
void       byline_canned_reply_picker_popup       (BylineCannedReplyPicker *self);

G_END_DECLS
