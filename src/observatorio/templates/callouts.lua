-- Quarto callouts (::: {.callout-note} … :::) for the built-in engine.
-- HTML: a Material for MkDocs admonition (a folded one, `<details>`, with collapse="true" or "false").
-- Typst: a call to `callout` from report.typ, always open.
-- `appearance` (default, simple, minimal) and `icon` (false) as Quarto draws them: classes styled in observatorio.css
-- on the web; in the PDF, no icon is ever drawn and `minimal` has no fill.
-- Default titles come from the metadata `obs-callout-<kind>` (the site's UI strings).

local ADMONITION = { note = "note", tip = "tip", warning = "warning", important = "info", caution = "danger" }

local function callout_kind(el)
  for _, class in ipairs(el.classes) do
    local kind = class:match("^callout%-(%a+)$")
    if kind and ADMONITION[kind] then return kind end
  end
  return nil
end

local function convert(el, meta)
  local kind = callout_kind(el)
  if not kind then return nil end
  local blocks = el.content
  local title
  if #blocks > 0 and blocks[1].t == "Header" then
    title = blocks[1].content
    blocks = pandoc.Blocks({ table.unpack(blocks, 2) })
  elseif el.attributes["title"] then
    title = pandoc.Inlines(el.attributes["title"])
  else
    title = pandoc.Inlines(pandoc.utils.stringify(meta["obs-callout-" .. kind] or kind))
  end
  local appearance = el.attributes["appearance"] or "default"
  local icon = el.attributes["icon"] ~= "false" and appearance ~= "minimal"
  if FORMAT:match("typst") then
    local out = pandoc.Blocks({ pandoc.RawBlock("typst", '#callout(kind: "' .. kind .. '", appearance: "' .. appearance .. '", title: [') })
    out:insert(pandoc.Plain(title))
    out:insert(pandoc.RawBlock("typst", "])["))
    out:extend(blocks)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
  local classes = ADMONITION[kind] .. " callout-" .. kind .. " callout-appearance-" .. appearance .. (icon and "" or " callout-no-icon")
  -- Quarto's collapsible callout is Material's folded admonition (`???`), open at first when collapse="false";
  -- any other is Material's admonition (`!!!`)
  local collapse = el.attributes["collapse"]
  local folded = collapse == "true" or collapse == "false"
  local open, title_open, title_close, close
  if folded then
    open = '<details class="' .. classes .. '"' .. (collapse == "false" and " open" or "") .. ">"
    title_open, title_close, close = "<summary>", "</summary>", "</details>"
  else
    open = '<div class="admonition ' .. classes .. '">'
    title_open, title_close, close = '<p class="admonition-title">', "</p>", "</div>"
  end
  local out = pandoc.Blocks({ pandoc.RawBlock("html", open), pandoc.RawBlock("html", title_open), pandoc.Plain(title), pandoc.RawBlock("html", title_close) })
  out:extend(blocks)
  out:insert(pandoc.RawBlock("html", close))
  return out
end

function Pandoc(doc)
  return doc:walk({ Div = function(el) return convert(el, doc.meta) end })
end
