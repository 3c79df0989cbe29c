-- Quarto callouts (::: {.callout-note} … :::) for the built-in engine.
-- HTML: a Material for MkDocs admonition (a folded one, `<details>`, with collapse="true" or "false").
-- Typst: a call to `callout` from report.typ, always open.
-- `appearance` and `icon` change only the look in Quarto: accepted (tree.CALLOUT_OPTIONS), the box is drawn as by default.
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
  if FORMAT:match("typst") then
    local out = pandoc.Blocks({ pandoc.RawBlock("typst", '#callout(kind: "' .. kind .. '", title: [') })
    out:insert(pandoc.Plain(title))
    out:insert(pandoc.RawBlock("typst", "])["))
    out:extend(blocks)
    out:insert(pandoc.RawBlock("typst", "]"))
    return out
  end
  local collapse = el.attributes["collapse"]
  if collapse == "true" or collapse == "false" then
    -- Quarto's collapsible callout: Material's folded admonition (`???`), open at first when collapse="false"
    local open = collapse == "false" and " open" or ""
    local out = pandoc.Blocks({
      pandoc.RawBlock("html", '<details class="' .. ADMONITION[kind] .. ' callout-' .. kind .. '"' .. open .. '>'),
      pandoc.RawBlock("html", "<summary>"),
      pandoc.Plain(title),
      pandoc.RawBlock("html", "</summary>"),
    })
    out:extend(blocks)
    out:insert(pandoc.RawBlock("html", "</details>"))
    return out
  end
  local out = pandoc.Blocks({
    pandoc.RawBlock("html", '<div class="admonition ' .. ADMONITION[kind] .. ' callout-' .. kind .. '">'),
    pandoc.RawBlock("html", '<p class="admonition-title">'),
    pandoc.Plain(title),
    pandoc.RawBlock("html", "</p>"),
  })
  out:extend(blocks)
  out:insert(pandoc.RawBlock("html", "</div>"))
  return out
end

function Pandoc(doc)
  return doc:walk({ Div = function(el) return convert(el, doc.meta) end })
end
