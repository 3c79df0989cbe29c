// Material for MkDocs' search worker, with stemming that works with Material's prefix search.
//
// Material adds a trailing wildcard to every query word ("imigrantes" -> "imigrantes*") and Lunr
// sends wildcard words past its pipeline, so with a stemmer in the pipeline the word would be
// looked up unstemmed among stemmed words and found nowhere. Here
// - the index keeps each word as written beside its stem ("imigrantes" and "imigr"), and
// - each query word with Material's wildcard is searched as written and as its stem, both as
//   prefixes: "imigrantes*" finds the word itself (ranked first), and "imigr*" finds "imigrante"
//   and "imigração".
// Stop words never reach this point: they are part of the tokenizer's separator (see
// observatorio.search_index). This file lives beside Material's worker so that Material's
// "../lunr" language files load from where the worker expects them.
(function () {
  var name = new URL(self.location.href).searchParams.get("material") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) {
    throw new Error("search-stemmed.js: expected ?material=search.<hash>.min.js, got " + JSON.stringify(name));
  }
  importScripts(name);

  var lunr = self.lunr;
  var searchPipeline = null;  // the query pipeline of the index this worker holds

  function keepingTheWord(stemmer) {
    var fn = function (token, i, tokens) {
      var stem = stemmer(token.clone(), i, tokens);
      return stem.toString() === token.toString() ? token : [token, stem];
    };
    fn.keepsTheWord = true;
    return fn;
  }

  var add = lunr.Builder.prototype.add;
  lunr.Builder.prototype.add = function () {
    var stack = this.pipeline._stack;
    for (var i = 0; i < stack.length; i++) {
      if (!stack[i].keepsTheWord && /^stemmer/.test(stack[i].label || "")) stack[i] = keepingTheWord(stack[i]);
    }
    searchPipeline = this.searchPipeline;
    return add.apply(this, arguments);
  };

  var PREFIX = /^([^*]+)\*$/;  // a word with Material's trailing wildcard and no other
  var parseTerm = lunr.QueryParser.parseTerm;
  lunr.QueryParser.parseTerm = function (parser) {
    var lexeme = parser.peekLexeme();
    var word = lexeme && PREFIX.exec(lexeme.str);
    var next = parser.lexemes[parser.lexemeIdx + 1];
    var modified = next && (next.type === lunr.QueryLexer.BOOST || next.type === lunr.QueryLexer.EDIT_DISTANCE);
    if (word && searchPipeline && !modified && !lexeme.stem) {
      // Every word gets its stem clause, even when the stem is the word itself ("share"), so that
      // each query word weighs the same.
      var stems = searchPipeline.runString(word[1].toLowerCase());
      if (stems.length === 1 && stems[0]) {
        parser.lexemes.splice(parser.lexemeIdx + 1, 0,
          {type: lunr.QueryLexer.TERM, str: stems[0] + "*", start: lexeme.start, end: lexeme.end, stem: true});
      }
    }
    return parseTerm(parser);
  };
})();
