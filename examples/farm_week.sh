#!/usr/bin/env bash
# The farm of examples/farm.json set up for its real week, with the command line only:
# weekly periods from Monday to Sunday whose offers close on Friday at 18:00 (Berlin time)
# and which then clear themselves; milking at dawn every day, the harvest on Saturday
# morning and weeding on Tuesday and Thursday evenings as shifts with a place and places
# for so many people, for a season of 26 weeks; two pick-up points, each member at one.
#
#   bash examples/farm_week.sh [DATABASE_URL]        default: sqlite:///farm.sqlite3
#
# MONDAY (default: the coming Monday) is the first day of period 1. After it, a coordinator
# clears the period (peerconomy period clear --pool farm), which places everyone's hours on
# the shifts (peerconomy shift list --pool farm), and prints the pick-up lists
# (peerconomy period distribution --pool farm). tests/cli/test_farm_week_example.py runs
# every peerconomy line of this file.
set -euo pipefail
DB="${1:-sqlite:///farm.sqlite3}"
MONDAY="${MONDAY:-$(python3 -c 'import datetime as d; t = d.date.today(); print(t + d.timedelta(7 - t.weekday()))')}"
SEASON_END="$(python3 -c "import datetime as d; print(d.date.fromisoformat('$MONDAY') + d.timedelta(weeks=26, days=-1))")"

peerconomy pool import examples/farm.json --pool farm --coordinator ana --coordinator dario \
  --invitations farm-invitations.csv --db "$DB"

# Dated weekly periods; the first one starts on MONDAY and clears itself on Friday at 18:00.
peerconomy pool settings --pool farm --name "Solawi am Hang" \
  --description "Gemüse, Brot und Milch vom Hof am Hang" --period-length "1 week" \
  --starts-on "$MONDAY" --time-zone Europe/Berlin --close-days 2 --close-time 18:00 \
  --auto-clear --db "$DB"

# Shifts: the hours each member is assigned are placed on these after the clearing.
peerconomy shift repeat --pool farm milking --every day --from "$MONDAY" --until "$SEASON_END" \
  --start 05:30 --end 07:00 --place "Stall" --slots 2 --note "Gummistiefel mitbringen" \
  --db "$DB"
peerconomy shift repeat --pool farm harvest --every week --on sat --from "$MONDAY" \
  --until "$SEASON_END" --start 08:00 --end 12:00 --place "Gemüseacker" --slots 4 --db "$DB"
peerconomy shift repeat --pool farm weeding --every week --on tue,thu --from "$MONDAY" \
  --until "$SEASON_END" --start 17:00 --end 19:00 --place "Gemüseacker" --slots 3 --db "$DB"

# Two pick-up points, and where each member collects their goods.
peerconomy pickup add --pool farm hofladen "Hofladen" --address "Am Hang 3" \
  --opening-times "Sa 10–13 Uhr" --db "$DB"
peerconomy pickup add --pool farm nord "Stadtteilladen Nord" --address "Lindenstraße 12" \
  --opening-times "Fr 16–19 Uhr" --db "$DB"
peerconomy pickup choose --pool farm --member ana hofladen --db "$DB"
peerconomy pickup choose --pool farm --member ben nord --db "$DB"
peerconomy pickup choose --pool farm --member chiara hofladen --db "$DB"
peerconomy pickup choose --pool farm --member dario hofladen --db "$DB"
peerconomy pickup choose --pool farm --member emil nord --db "$DB"
peerconomy pickup choose --pool farm --member fatima nord --db "$DB"
peerconomy pickup choose --pool farm --member greta hofladen --db "$DB"
peerconomy pickup choose --pool farm --member hugo nord --db "$DB"
