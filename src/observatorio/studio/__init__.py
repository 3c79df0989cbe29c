"""The campaign studio: a browser form (Decap CMS) that writes `campaigns/<slug>/campaign.yml`.

`observatorio studio` starts three things in one command: the site preview (`site.serve`, drafts
included, live reload), Decap CMS under `/admin/` of that preview (served from `node_modules/`
by `preview`, never copied into the site), and Decap's local backend (`decap-server`, on
localhost) that writes the form's entries into the working copy. Saving an entry changes a
file under `campaigns/`, which the preview watches: it rebuilds, and a mistake shows in the
browser, in Portuguese, over the last good pages. `decap.config` generates the form from the
campaign schema.
"""
