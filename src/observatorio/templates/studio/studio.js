// The studio's live preview: Decap CMS shows this beside the form while a campaign is edited.
// Each message is drawn with the campaign's palette and the facts' real values (from facts.json,
// written by `observatorio studio`); below, the campaign's page in the site preview, with its cards,
// as the last save built it.
(function () {
  "use strict";
  var studio = { facts: {}, strings: {}, page: "" };
  fetch("studio.json").then(function (response) { return response.json(); }).then(function (data) { studio = data; });

  function text(entry, path) {
    var value = entry.getIn(["data"].concat(path));
    return value === undefined || value === null ? "" : String(value);
  }

  function filled(value) {
    return value.replace(/\{([a-z][a-z0-9_]*)\}/g, function (whole, id) {
      return studio.facts[id] !== undefined ? studio.facts[id] : whole;
    });
  }

  var CampaignPreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var lang = studio.lang || "pt";
      var background = text(entry, ["palette", "background"]) || "#003893";
      var colour = text(entry, ["palette", "text"]) || "#ffffff";
      var accent = text(entry, ["palette", "accent"]) || "#f7d116";
      var messages = entry.getIn(["data", "messages"]);
      var cards = [];
      if (messages) {
        messages.forEach(function (message, index) {
          var fact = message.get("fact");
          cards.push(h("section", {
            key: index, className: "studio-card",
            style: { background: background, color: colour, padding: "24px", margin: "0 0 16px", aspectRatio: "1 / 1", maxWidth: "420px", fontFamily: "sans-serif" }
          },
            fact && studio.facts[fact] ? h("p", { style: { color: accent, fontSize: "40px", fontWeight: "bold", margin: 0 } }, studio.facts[fact]) : null,
            h("h2", { style: { margin: "8px 0" } }, filled(String(message.getIn(["headline", lang]) || ""))),
            h("p", {}, filled(String(message.getIn(["body", lang]) || ""))),
            h("p", { style: { color: accent, fontWeight: "bold" } }, filled(String(message.getIn(["call_to_action", lang]) || "")))
          ));
        });
      }
      var slug = (entry.get("slug") || "").split("/")[0];  // Decap names the entry "<slug>/campaign"
      var page = slug ? studio.page.replace("{slug}", slug) : "";
      return h("div", { style: { padding: "16px" } },
        h("h1", { style: { fontFamily: "sans-serif" } }, text(entry, ["name", lang])),
        cards,
        page ? h("p", {}, h("a", { href: page, target: "_blank", rel: "noopener", id: "studio-page-link" }, studio.strings.preview_link)) : null,
        page ? h("p", {}, studio.strings.preview_after_save) : null,
        page ? h("iframe", { src: page, title: studio.strings.preview_link, style: { width: "100%", height: "900px", border: "1px solid #ccc" } }) : null
      );
    }
  });

  CMS.registerPreviewTemplate("campaigns", CampaignPreview);
})();
