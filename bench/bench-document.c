/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-document.c: generated newsroom Markdown of a chosen length, the same for every run. */

#include "config.h"

#include <string.h>

#include "bench-document.h"
#include "byline-text-stats.h"

static const char *sentences[] = {
  "The city council voted %u to %u on Tuesday night to approve a revised budget that trims "
  "spending on road repairs and expands the library's evening hours.",
  "Council members spent nearly %u hours debating the plan, which had been delayed twice "
  "since the spring.",
  "\"We heard from residents in every ward, and this budget reflects what they asked us "
  "for,\" said the council president, who has held the seat since %u.",
  "Critics argued that the proposal relies on optimistic revenue forecasts and leaves the "
  "city exposed if sales tax receipts fall again.",
  "According to [the finance department's own "
  "projections](https://example.org/finance/forecast-%u), the reserve fund would drop below "
  "its target within three years.",
  "The mayor, who proposed the original plan in March, called the vote *a reasonable "
  "compromise* and said she would sign it this week.",
  "Transit officials warned that the **route %u** bus line could see reduced service on "
  "weekends if ridership does not recover by the end of the year.",
  "School board members have scheduled a public hearing for next Thursday to discuss the "
  "district's share of the funds.",
  "Parents who spoke at the meeting described overcrowded classrooms and a shortage of "
  "substitute teachers at several elementary schools.",
  "The state's auditor released a report last month that found %u contracts had been awarded "
  "without competitive bidding.",
  "A spokesperson for the governor's office declined to comment on the findings, citing an "
  "ongoing review.",
  "Local business owners along Main Street said construction on the new water main had cut "
  "foot traffic by as much as %u percent.",
  "\"We've been patient, but patience doesn't pay the rent,\" said the owner of a hardware "
  "store that has operated on the block for decades.",
  "The public works director said crews expect to finish the first phase of the project "
  "before the holiday shopping season begins.",
  "Weather forecasters expect up to %u inches of rain over the weekend, raising concerns "
  "about flooding in low-lying neighborhoods near the river.",
  "Emergency management officials urged residents to sign up for text alerts and to avoid "
  "driving through standing water.",
  "The county's health department reported %u new cases of the flu last week, a figure it "
  "described as typical for the season.",
  "Hospital administrators said they had added staff to the emergency department to handle "
  "the seasonal increase in visits.",
  "In a statement posted to [the department's website](https://example.org/health/updates), "
  "officials encouraged residents to get vaccinated.",
  "Police said the investigation remains open and asked anyone with information to contact "
  "the department's tip line.",
  "Court records show the lawsuit was filed in federal court in %u and has been stayed "
  "pending a ruling on a related case.",
  "The company said in a filing that it expects to add roughly %u jobs at the plant over the "
  "next two years.",
  "Economists cautioned that the announcement, while welcome, would not by itself offset the "
  "losses from last year's closures.",
  "Voters will decide in November whether to renew a property tax levy that funds the city's "
  "parks and recreation programs.",
  "Supporters of the levy say it costs the owner of a typical home about $%u a year and pays "
  "for lifeguards, youth leagues and trail upkeep.",
  "Opponents have formed a committee and say they plan to spend the next two months knocking "
  "on doors across the county.",
  "The newspaper reviewed more than %u pages of documents obtained through a public records "
  "request.",
  "Those records show that officials were aware of the problem as early as last summer but "
  "did not inform the public.",
  "_Editor's note: an earlier version of this story misstated the date of the hearing._",
  "The university's board of trustees approved a tuition increase of %u percent for next "
  "fall, the smallest in a decade.",
  "Students who attended the meeting held signs calling for more financial aid and a freeze "
  "on housing costs.",
  "The airport expects a record number of travelers over the holiday weekend, with security "
  "lines peaking early Friday morning.",
  "Officials recommend arriving at least two hours before domestic flights and checking the "
  "airport's app for wait times.",
  "The nonprofit's director said donations had fallen sharply since the start of the year "
  "even as demand at its food pantry rose.",
  "Volunteers packed more than %u boxes of groceries on Saturday, many of them destined for "
  "families with young children.",
  "The proposed development would add about %u apartments, a grocery store and a small park "
  "on the site of the former rail yard.",
  "Neighbors have raised concerns about traffic and parking, and the planning commission "
  "postponed its vote to gather more information.",
  "A study commissioned by the developer found that the project would generate roughly %u "
  "additional car trips on a typical weekday.",
  "The fire department responded to the blaze shortly after %u a.m. and had it under control "
  "within an hour, according to a news release.",
  "No injuries were reported, but the building's %u residents were displaced and are staying "
  "with relatives or at a nearby shelter.",
  "The Red Cross said it was providing emergency assistance, including clothing, food and "
  "help replacing medications.",
  "State lawmakers return to the capital in January with a projected surplus and a long list "
  "of competing priorities.",
  "Leaders of both parties have said that property tax relief and **school funding** will "
  "dominate the session.",
  "The measure passed the House last year but stalled in a Senate committee after objections "
  "from rural districts.",
  "Election officials said turnout in the primary was about %u percent, higher than expected "
  "for a year without a statewide race.",
  "Results will not be certified until all mailed ballots postmarked by Election Day have "
  "been counted, a process that can take a week.",
  "The team's coach said the injury was not expected to be serious and that the player could "
  "return within %u weeks.",
  "Season ticket holders received an email on Monday announcing that prices would rise "
  "modestly next year.",
  "The museum's new exhibit, which opens Saturday, features more than %u works on loan from "
  "collections across the country.",
  "Admission is free for residents on the first Sunday of each month, and the museum has "
  "extended its hours on Thursdays.",
};

static const char *headings[] = {
  "Budget fight moves to the council floor",
  "What the vote means for residents",
  "Schools brace for another tight year",
  "Transit cuts loom on weekend routes",
  "Businesses weigh the cost of construction",
  "Storm preparations across the county",
  "Health officials track the flu season",
  "The lawsuit and what comes next",
  "Jobs, the plant and the local economy",
  "The levy on the November ballot",
  "What the records show",
  "Tuition, housing and student aid",
  "Holiday travel at the airport",
  "Demand rises at food pantries",
  "The rail yard redevelopment",
  "Fire displaces downtown residents",
  "Priorities for the legislative session",
  "Turnout and the primary results",
  "Around the league",
  "Arts and culture this weekend",
};

static const char *list_items[] = {
  "Road repairs: $%u million, down from last year",
  "Library evening hours restored at %u branches",
  "A hiring freeze for non-emergency positions",
  "New crossing guards near %u elementary schools",
  "Street lighting upgrades on the east side",
  "An independent audit of contracts above $%u,000",
  "Expanded hours for the recycling drop-off center",
  "Grants for small businesses affected by construction",
  "A pilot program for free weekend transit passes",
  "Funding for %u additional paramedics",
};

static void
append_filled (GString    *out,
               GRand      *rand,
               const char *pattern)
{
  const char *hole = strstr (pattern, "%u");

  if (hole == NULL)
    {
      g_string_append (out, pattern);
      return;
    }
  g_string_append_len (out, pattern, hole - pattern);
  g_string_append_printf (out, "%u", (guint) g_rand_int_range (rand, 2, 2000));
  append_filled (out, rand, hole + 2);
}

static guint
append_counted (GString    *out,
                const char *text)
{
  g_string_append (out, text);
  return byline_text_stats_count_words (text, -1);
}

static guint
append_paragraph (GString *out,
                  GRand   *rand)
{
  g_autoptr(GString) paragraph = g_string_new (NULL);
  guint target = (guint) g_rand_int_range (rand, 60, 121);
  guint words = 0;

  while (words < target)
    {
      g_autoptr(GString) sentence = g_string_new (NULL);
      guint sentence_words;

      append_filled (sentence, rand,
                     sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
      sentence_words = byline_text_stats_count_words (sentence->str, -1);
      /* Stop before going over 120 words, once there are 60. */
      if (words >= 60 && words + sentence_words > 120)
        break;
      if (paragraph->len > 0)
        g_string_append_c (paragraph, ' ');
      g_string_append (paragraph, sentence->str);
      words += sentence_words;
    }
  g_string_append (paragraph, "\n\n");
  return append_counted (out, paragraph->str);
}

static guint
append_list (GString *out,
             GRand   *rand,
             gboolean numbered)
{
  g_autoptr(GString) list = g_string_new (NULL);
  guint n = (guint) g_rand_int_range (rand, 3, 7);

  for (guint i = 0; i < n; i++)
    {
      if (numbered)
        g_string_append_printf (list, "%u. ", i + 1);
      else
        g_string_append (list, "- ");
      append_filled (list, rand, list_items[g_rand_int_range (rand, 0, G_N_ELEMENTS (list_items))]);
      g_string_append_c (list, '\n');
    }
  g_string_append_c (list, '\n');
  return append_counted (out, list->str);
}

static guint
append_table (GString *out,
              GRand   *rand)
{
  static const char *departments[] = {
    "Police", "Fire", "Public works", "Parks and recreation", "Libraries", "Transit",
    "Health", "Planning",
  };
  g_autoptr(GString) table = g_string_new ("| Department | Last year | This year | Change |\n"
                                           "|---|---:|---:|---:|\n");

  for (guint i = 0; i < G_N_ELEMENTS (departments); i++)
    {
      guint before = (guint) g_rand_int_range (rand, 5, 90);
      guint after = before + (guint) g_rand_int_range (rand, 0, 9) - 4;

      g_string_append_printf (table, "| %s | $%u.%u million | $%u.%u million | %+d%% |\n",
                              departments[i], before, (guint) g_rand_int_range (rand, 0, 10),
                              after, (guint) g_rand_int_range (rand, 0, 10),
                              (int) after * 100 / (int) before - 100);
    }
  g_string_append (table, "\n*Source: city finance department. Figures are rounded.*\n\n");
  return append_counted (out, table->str);
}

static guint
append_code_block (GString *out)
{
  return append_counted (out,
                         "The newsroom's data team used this query against the city's open data "
                         "portal:\n\n"
                         "```sql\n"
                         "SELECT department, SUM(amount) AS total\n"
                         "  FROM contracts\n"
                         " WHERE awarded_at >= '2024-01-01' AND competitive_bid = false\n"
                         " GROUP BY department\n"
                         " ORDER BY total DESC;\n"
                         "```\n\n");
}

static guint
append_quote (GString *out,
              GRand   *rand)
{
  g_autoptr(GString) quote = g_string_new ("> ");

  append_filled (quote, rand, sentences[g_rand_int_range (rand, 0, G_N_ELEMENTS (sentences))]);
  g_string_append (quote, "\n\n");
  return append_counted (out, quote->str);
}

char *
bench_document_generate (guint target_words)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201 + target_words);
  GString *out = g_string_new (NULL);
  guint words = 0;

  words += append_paragraph (out, rand);
  words += append_paragraph (out, rand);
  for (guint section = 0; words < target_words; section++)
    {
      guint paragraphs = (guint) g_rand_int_range (rand, 3, 6);

      g_string_append_printf (out, "%s %s\n\n", section % 4 == 3 ? "###" : "##",
                              headings[section % G_N_ELEMENTS (headings)]);
      words += byline_text_stats_count_words (headings[section % G_N_ELEMENTS (headings)], -1);
      for (guint i = 0; i < paragraphs && words < target_words; i++)
        {
          words += append_paragraph (out, rand);
          if (i == 1 && g_rand_int_range (rand, 0, 4) == 0)
            words += append_list (out, rand, g_rand_boolean (rand));
          else if (i == 2 && g_rand_int_range (rand, 0, 5) == 0)
            words += append_quote (out, rand);
        }
      if (section % 12 == 2)
        words += append_table (out, rand);
      if (section % 15 == 7)
        words += append_code_block (out);
    }
  return g_string_free (out, FALSE);
}
