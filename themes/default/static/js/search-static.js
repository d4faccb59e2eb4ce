// Static search: the /api/search of a site without a server. It reads the
// bundle the build writes under /search/bundle/ (see index/bundle.go) and
// answers a query as the bleve index does: the same query language, the
// same analysis (casebook's word tokenizer, English possessives, lower
// case, English stop words, bleve's Porter stemmer), BM25 with the same
// field boosts and the same way bleve combines clause scores, facets over
// the whole result, dates and pages, and fragments cut from the body. It
// fetches only what a query needs: the manifest, the norms and facets
// once, the dictionary shards of the query's words, positions for
// phrases, and the documents shown.
//
// search.js loads it only when /api/search does not answer. It also runs
// under Node, for the tests that hold it to the API.
(function (root) {
  'use strict';

  // ---------- Analysis ----------

  var utf8 = new TextDecoder();
  function utf8Decode(b) { return utf8.decode(b); }

  var RE_LETTER = /\p{L}/u, RE_WORD = /[\p{L}\p{Nd}\p{Mn}]/u;
  var RE_IDEO = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

  function isAsciiWord(c) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  }

  // tokenize is index/analysis.go's wordTokenizer: runs of letters, digits
  // and combining marks, an apostrophe between letters kept, each
  // ideograph or kana a word of its own. Offsets are string indexes.
  function tokenize(text) {
    var out = [], pos = 0, start = -1, i = 0, n = text.length;
    function emit(s, e) { pos++; out.push({ term: text.slice(s, e), start: s, end: e, pos: pos }); }
    while (i < n) {
      var c = text.codePointAt(i), size = c > 0xffff ? 2 : 1;
      if (c < 128) {
        if (isAsciiWord(c)) {
          if (start < 0) start = i;
        } else if (c === 39 && start >= 0 && i + 1 < n && RE_LETTER.test(String.fromCodePoint(text.codePointAt(i + 1)))) {
          // an apostrophe inside a word
        } else if (start >= 0) { emit(start, i); start = -1; }
      } else {
        var ch = String.fromCodePoint(c);
        if (c >= 0x2e80 && RE_IDEO.test(ch)) {
          if (start >= 0) { emit(start, i); start = -1; }
          emit(i, i + size);
        } else if (c !== 0xfffd && RE_WORD.test(ch)) {
          if (start < 0) start = i;
        } else if (c === 0x2019 && start >= 0 && i + 1 < n && RE_LETTER.test(String.fromCodePoint(text.codePointAt(i + 1)))) {
          // ’ inside a word
        } else if (start >= 0) { emit(start, i); start = -1; }
      }
      i += size;
    }
    if (start >= 0) emit(start, n);
    return out;
  }

  // lower is bleve's lower-case filter, byte for byte: Go's simple case
  // mapping rune by rune, a final capital sigma as ς, and its slip where
  // a rune lowers to fewer bytes (İ, K, Å): the bytes after it are not
  // moved up, so "İstanbul" indexes as "i\ufffdstanbu" before stemming.
  var enc = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
  function lowerRune(c) {
    if (c === '\u0130') return 'i';
    var l = c.toLowerCase();
    return Array.from(l).length === 1 ? l : c;
  }
  function lower(s) {
    if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
    var b = enc.encode(s), out = b.slice(), i = 0, j = 0, n = b.length;
    while (i < n) {
      var wid = b[i] < 0x80 ? 1 : b[i] < 0xe0 ? 2 : b[i] < 0xf0 ? 3 : 4;
      var r = utf8Decode(b.subarray(i, i + wid)), l = lowerRune(r);
      if (l === r) { i += wid; j += wid; continue; }
      if (l === 'σ' && i + 2 === n) l = 'ς';
      var lb = enc.encode(l);
      if (lb.length > wid) {
        var rest = enc.encode(Array.from(utf8Decode(b.subarray(i))).map(lowerRune).join(''));
        var joined = new Uint8Array(j + rest.length);
        joined.set(out.subarray(0, j));
        joined.set(rest, j);
        return utf8Decode(joined);
      }
      out.set(lb, j);
      i += wid;
      j += lb.length;
    }
    return utf8Decode(out.subarray(0, j));
  }

  function possessive(s) {
    var cps = Array.from(s), k = cps.length;
    if (k >= 2 && (cps[k - 1] === 's' || cps[k - 1] === 'S') && (cps[k - 2] === '\'' || cps[k - 2] === '’' || cps[k - 2] === '＇')) {
      return cps.slice(0, k - 2).join('');
    }
    return s;
  }

  // ---------- Porter stemmer: github.com/blevesearch/go-porterstemmer ----------

  function isCons(s, i) {
    switch (s[i]) {
      case 'a': case 'e': case 'i': case 'o': case 'u': return false;
      case 'y': return i === 0 ? true : !isCons(s, i - 1);
    }
    return true;
  }
  function measure(s) {
    var n = s.length, m = 0, i = 0;
    if (n === 0) return 0;
    while (isCons(s, i)) { i++; if (i >= n) return m; }
    outer:
    while (i < n) {
      while (!isCons(s, i)) { i++; if (i >= n) break outer; }
      while (isCons(s, i)) { i++; if (i >= n) { m++; break outer; } }
      m++;
    }
    return m;
  }
  function ends(s, suf) {
    if (s.length <= suf.length) return false;
    for (var i = 0; i < suf.length; i++) if (s[s.length - suf.length + i] !== suf[i]) return false;
    return true;
  }
  function hasVowel(s) { for (var i = 0; i < s.length; i++) if (!isCons(s, i)) return true; return false; }
  function dblCons(s) { var n = s.length; return n >= 2 && s[n - 1] === s[n - 2] && isCons(s, n - 1); }
  function cvc(s) { var n = s.length; return n >= 3 && isCons(s, n - 3) && !isCons(s, n - 2) && isCons(s, n - 1); }
  function cut(s, k) { return s.slice(0, s.length - k); }
  function setLast(s, c) { s = s.slice(); s[s.length - 1] = c; return s; }

  function step1a(s) {
    if (ends(s, 'sses') || ends(s, 'ies')) return cut(s, 2);
    if (ends(s, 'ss')) return s;
    if (ends(s, 's')) return cut(s, 1);
    return s;
  }
  function step1bTail(s, sub, isEd) {
    if (!hasVowel(sub)) return s;
    if (ends(sub, 'at') || ends(sub, 'bl') || ends(sub, 'iz')) {
      return isEd ? s.slice(0, sub.length + 1) : setLast(s.slice(0, sub.length + 1), 'e');
    }
    var c = sub[sub.length - 1];
    if (c !== 'l' && c !== 's' && c !== 'z' && dblCons(sub)) return cut(sub, 1);
    if (measure(sub) === 1 && cvc(sub) && c !== 'w' && c !== 'x' && c !== 'y') return setLast(s.slice(0, sub.length + 1), 'e');
    return sub;
  }
  function step1b(s) {
    if (ends(s, 'eed')) return measure(cut(s, 3)) > 0 ? cut(s, 1) : s;
    if (ends(s, 'ed')) return step1bTail(s, cut(s, 2), true);
    if (ends(s, 'ing')) return step1bTail(s, cut(s, 3), false);
    return s;
  }
  function step1c(s) {
    var n = s.length;
    if (n < 2) return s;
    if (s[n - 1] === 'y' && hasVowel(s.slice(0, n - 1))) return setLast(s, 'i');
    if (s[n - 1] === 'Y' && hasVowel(s.slice(0, n - 1))) return setLast(s, 'I');
    return s;
  }
  // Each rule: suffix, then what to do when measure(stem) > 0: [set
  // index from the end, char]... and how many to cut.
  var STEP2 = [
    ['ational', [[5, 'e']], 4], ['tional', [], 2], ['enci', [[1, 'e']], 0], ['anci', [[1, 'e']], 0],
    ['izer', [], 1], ['bli', [[1, 'e']], 0], ['alli', [], 2], ['entli', [], 2], ['eli', [], 2],
    ['ousli', [], 2], ['ization', [[5, 'e']], 4], ['ation', [[3, 'e']], 2], ['ator', [[2, 'e']], 1],
    ['alism', [], 3], ['iveness', [], 4], ['fulness', [], 4], ['ousness', [], 4], ['aliti', [], 3],
    ['iviti', [[3, 'e']], 2], ['biliti', [[5, 'l'], [4, 'e']], 3], ['logi', [], 1]
  ];
  var STEP3 = [['icate', 3], ['ative', 5], ['alize', 3], ['iciti', 3], ['ical', 2], ['ful', 3], ['ness', 4]];
  var STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

  function step2(s) {
    for (var r = 0; r < STEP2.length; r++) {
      var rule = STEP2[r];
      if (!ends(s, rule[0])) continue;
      if (measure(cut(s, rule[0].length)) > 0) {
        s = s.slice();
        var n = s.length;
        rule[1].forEach(function (set) { s[n - set[0]] = set[1]; });
        s = cut(s, rule[2]);
      }
      return s;
    }
    return s;
  }
  function step3(s) {
    for (var r = 0; r < STEP3.length; r++) {
      if (!ends(s, STEP3[r][0])) continue;
      return measure(cut(s, STEP3[r][0].length)) > 0 ? cut(s, STEP3[r][1]) : s;
    }
    return s;
  }
  function step4(s) {
    for (var r = 0; r < STEP4.length; r++) {
      var suf = STEP4[r];
      if (!ends(s, suf)) continue;
      var sub = cut(s, suf.length);
      if (suf === 'ion') {
        var c = sub[sub.length - 1];
        return measure(sub) > 1 && (c === 's' || c === 't') ? sub : s;
      }
      return measure(sub) > 1 ? sub : s;
    }
    return s;
  }
  function step5a(s) {
    var n = s.length;
    if (n > 0 && s[n - 1] === 'e') {
      var sub = cut(s, 1), m = measure(sub);
      if (m > 1) return sub;
      if (m === 1) {
        var c = sub[sub.length - 1];
        if (!(cvc(sub) && c !== 'w' && c !== 'x' && c !== 'y')) return sub;
      }
    }
    return s;
  }
  function step5b(s) {
    var n = s.length;
    if (n > 2 && s[n - 2] === 'l' && s[n - 1] === 'l' && measure(cut(s, 1)) > 1) return cut(s, 1);
    return s;
  }

  function stem(word) {
    var s = Array.from(word);
    if (s.length <= 2) return word;
    s = step5b(step5a(step4(step3(step2(step1c(step1b(step1a(s))))))));
    return s.join('');
  }

  // Analyzer is the prose analyzer of the bleve mapping, with a memo of
  // the words it has seen.
  function Analyzer(stopWords) {
    this.stop = new Set(stopWords);
    this.memo = new Map();
  }
  Analyzer.prototype.term = function (word) {
    var t = this.memo.get(word);
    if (t === undefined) {
      t = lower(possessive(word));
      t = this.stop.has(t) ? null : stem(t);
      if (this.memo.size < 50000) this.memo.set(word, t);
    }
    return t;
  };
  // analyze returns the tokens that survive, with positions and offsets.
  Analyzer.prototype.analyze = function (text) {
    var out = [], toks = tokenize(String(text || ''));
    for (var i = 0; i < toks.length; i++) {
      var t = this.term(toks[i].term);
      if (t !== null) { toks[i].term = t; out.push(toks[i]); }
    }
    return out;
  };

  // normalize is site.Normalize: lower case, letters and digits kept,
  // every run of anything else one '-'.
  function normalize(s) {
    return String(s || '').toLowerCase().replace(/[^\p{L}\p{Nd}]+/gu, '-').replace(/^-+|-+$/g, '');
  }

  // ---------- The query language: bleve's query string ----------

  function QueryError(message) { this.message = message; this.name = 'QueryError'; }
  QueryError.prototype.toString = function () { return this.message; };

  var RESERVED = '+-=&|><!(){}[]^"~*?:\\/ ';
  function unescape(c) { return RESERVED.indexOf(c) >= 0 ? c : '\\' + c; }

  // lex splits a query string as bleve's lexer does.
  function lex(q) {
    var toks = [], cps = Array.from(q), i = 0, n = cps.length;
    while (i < n) {
      var c = cps[i];
      if (c === '"') {
        var buf = '', esc = false, closed = false;
        for (i++; i < n; i++) {
          var d = cps[i];
          if (!esc && d === '"') { closed = true; i++; break; }
          if (!esc && d === '\\') esc = true;
          else if (esc) { esc = false; buf += unescape(d); } else buf += d;
        }
        if (!closed) throw new QueryError('cannot read the query: unterminated quote');
        toks.push({ type: 'phrase', s: buf });
        continue;
      }
      if ('+-:><='.indexOf(c) >= 0) { toks.push({ type: c }); i++; continue; }
      if (c === '^' || c === '~') {
        var b2 = '';
        for (i++; i < n && cps[i] !== ' '; i++) b2 += cps[i];
        toks.push({ type: c, s: b2 || '1' });
        continue;
      }
      if (/\s/u.test(c)) { i++; continue; }
      var s = '', e = false;
      if (c === '\\') { e = true; i++; }
      for (; i < n; i++) {
        var x = cps[i];
        if (!e && (x === ' ' || x === ':' || x === '^' || x === '~')) break;
        if (!e && x === '\\') { e = true; continue; }
        if (e) { e = false; s += unescape(x); } else s += x;
      }
      toks.push({ type: 'string', s: s });
      if (i < n && cps[i] === ' ') i++;
    }
    return toks;
  }

  // parse turns tokens into clauses {op, field, kind, text, boost}: kind
  // is match, phrase, wildcard, regexp or fuzzy.
  function parse(q) {
    var toks = lex(q), out = [], i = 0;
    function fail() { throw new QueryError('cannot read the query: syntax error'); }
    while (i < toks.length) {
      var op = '';
      if (toks[i].type === '+' || toks[i].type === '-') { op = toks[i].type; i++; }
      var t = toks[i++];
      if (!t) fail();
      var c = { op: op, field: '', boost: 1 };
      if (t.type === 'string' && toks[i] && toks[i].type === ':') {
        c.field = t.s;
        i++;
        t = toks[i++];
        if (!t) fail();
        if (t.type === '>' || t.type === '<' || t.type === '=') throw new QueryError('ranges such as ' + c.field + ':>… need the search service; use the date fields of the search page');
      }
      if (t.type === 'phrase') { c.kind = 'phrase'; c.text = t.s; }
      else if (t.type === 'string') {
        c.text = t.s;
        if (t.s.length > 1 && t.s.charAt(0) === '/' && t.s.charAt(t.s.length - 1) === '/') c.kind = 'regexp';
        else if (/[*?]/.test(t.s)) c.kind = 'wildcard';
        else c.kind = 'match';
      } else fail();
      while (toks[i] && (toks[i].type === '^' || toks[i].type === '~')) {
        if (toks[i].type === '^') {
          c.boost = parseFloat(toks[i].s);
          if (!isFinite(c.boost)) fail();
        } else c.kind = c.kind === 'phrase' ? 'phrase' : 'fuzzy';
        i++;
      }
      out.push(c);
    }
    return out;
  }

  // ---------- Reading the bundle ----------

  function uvarint(b, st) {
    var x = 0, mul = 1, p = st.p;
    for (;;) {
      var c = b[p++];
      x += (c & 0x7f) * mul;
      if (c < 0x80) break;
      mul *= 128;
    }
    st.p = p;
    return x;
  }


  // Engine searches one bundle; load(url, kind) fetches a file of it as
  // 'json' or 'bytes' (an ArrayBuffer).
  function Engine(load) {
    this.load = load;
    this.cache = new Map();
    this.manifest = null;
  }

  Engine.prototype.get = function (name, kind) {
    var p = this.cache.get(name);
    if (!p) {
      p = this.load(name, kind);
      this.cache.set(name, p);
      var cache = this.cache;
      p.catch(function () { cache.delete(name); });
    }
    return p;
  };

  Engine.prototype.init = function () {
    var self = this;
    if (!this.ready) {
      this.ready = this.get('manifest.json', 'json').then(function (m) {
        if (m.version !== 1) throw new Error('search bundle version ' + m.version + ' is not supported');
        self.manifest = m;
        self.analyzer = new Analyzer(m.stopWords);
        self.fieldIndex = {};
        m.fields.forEach(function (f, i) { self.fieldIndex[f] = i; });
        self.tax = m.taxonomies;
        self.termNum = new Map();
        m.terms.forEach(function (t, i) { self.termNum.set(m.taxonomies[t[0]].key + ':' + t[1], i); });
        return m;
      });
      this.ready.catch(function () { self.ready = null; });
    }
    return this.ready;
  };

  // norms: lens[field][doc].
  Engine.prototype.norms = function () {
    var self = this;
    if (!this._norms) {
      this._norms = this.get(this.manifest.norms, 'bytes').then(function (buf) {
        var b = new Uint8Array(buf), st = { p: 0 }, N = self.manifest.docCount, lens = [];
        for (var f = 0; f < self.manifest.fields.length; f++) {
          var a = new Uint32Array(N);
          for (var d = 0; d < N; d++) a[d] = uvarint(b, st);
          lens.push(a);
        }
        return lens;
      });
    }
    return this._norms;
  };

  // facets: each document's day, and each taxonomy term's documents.
  Engine.prototype.facets = function () {
    var self = this;
    if (!this._facets) {
      this._facets = this.get(this.manifest.facets, 'bytes').then(function (buf) {
        var b = new Uint8Array(buf), st = { p: 0 }, N = self.manifest.docCount, T = self.manifest.terms.length;
        var days = new Int32Array(N), lists = [];
        for (var d = 0; d < N; d++) days[d] = d === 0 ? uvarint(b, st) + self.manifest.minDay : days[d - 1] - uvarint(b, st);
        for (var t = 0; t < T; t++) {
          var kind = b[st.p++], list;
          if (kind === 1) {
            var bytes = (N + 7) >> 3, ids = [];
            for (var k = 0; k < bytes; k++) {
              var v = b[st.p + k];
              for (var bit = 0; v; bit++, v >>= 1) if (v & 1) ids.push(k * 8 + bit);
            }
            st.p += bytes;
            list = Int32Array.from(ids);
          } else {
            var df = uvarint(b, st), prev = -1;
            list = new Int32Array(df);
            for (var j = 0; j < df; j++) { prev += uvarint(b, st) + 1; list[j] = prev; }
          }
          lists.push(list);
        }
        return { days: days, lists: lists };
      });
    }
    return this._facets;
  };

  // shardsFor returns the indexes of the shards that may hold terms in
  // [lo, hi] (hi undefined: lo alone).
  Engine.prototype.shardsFor = function (lo, hi) {
    var sh = this.manifest.shards, a = 0, b = sh.length - 1, first = -1;
    while (a <= b) {
      var mid = (a + b) >> 1;
      if (sh[mid][0] <= lo) { first = mid; a = mid + 1; } else b = mid - 1;
    }
    if (first < 0) first = 0;
    var out = [first];
    if (hi !== undefined) for (var i = first + 1; i < sh.length && sh[i][0] <= hi; i++) out.push(i);
    return out;
  };

  // shard parses one dictionary shard: entries in term order, each with
  // its posting list.
  Engine.prototype.shard = function (i) {
    var self = this;
    this._shards = this._shards || new Map();
    var p = this._shards.get(i);
    if (!p) {
      p = this.get(this.manifest.shards[i][1], 'bytes').then(function (buf) {
        var b = new Uint8Array(buf), st = { p: 0 }, n = uvarint(b, st), entries = [], byKey = new Map();
        for (var e = 0; e < n; e++) {
          var len = uvarint(b, st);
          var term = utf8.decode(b.subarray(st.p, st.p + len));
          st.p += len;
          var field = uvarint(b, st), df = uvarint(b, st), blen = uvarint(b, st);
          // Postings are decoded when a query asks for them (decode).
          var en = { term: term, field: field, df: df, b: b, off: st.p, docs: null, tfs: null, shard: i, index: e };
          st.p += blen;
          entries.push(en);
          byKey.set(field + '\u0000' + term, en);
        }
        return { entries: entries, byKey: byKey };
      });
      this._shards.set(i, p);
      var shards = this._shards;
      p.catch(function () { shards.delete(i); });
    }
    return p;
  };

  // decode reads an entry's documents and frequencies, once.
  function decode(en) {
    if (en && !en.docs) {
      var st = { p: en.off }, docs = new Int32Array(en.df), tfs = new Uint32Array(en.df), d = -1;
      for (var k = 0; k < en.df; k++) { d += uvarint(en.b, st) + 1; docs[k] = d; tfs[k] = uvarint(en.b, st); }
      en.docs = docs;
      en.tfs = tfs;
    }
    return en;
  }

  // positions returns, for an entry, each posting's positions.
  Engine.prototype.positions = function (en) {
    var self = this;
    this._pos = this._pos || new Map();
    var p = this._pos.get(en.shard);
    if (!p) {
      p = this.get(this.manifest.shards[en.shard][2], 'bytes').then(function (buf) {
        var b = new Uint8Array(buf), st = { p: 0 }, offs = [];
        while (st.p < b.length) { var len = uvarint(b, st); offs.push([st.p, len]); st.p += len; }
        return { b: b, offs: offs };
      });
      this._pos.set(en.shard, p);
    }
    return p.then(function (pf) {
      var st = { p: pf.offs[en.index][0] }, out = [];
      for (var k = 0; k < en.docs.length; k++) {
        var ps = new Array(en.tfs[k]), prev = 0;
        for (var j = 0; j < ps.length; j++) { prev += uvarint(pf.b, st); ps[j] = prev; }
        out.push(ps);
      }
      return out;
    });
  };

  // lookup finds the posting list of (field, term), or null.
  Engine.prototype.lookup = function (field, term) {
    var self = this;
    return this.shard(this.shardsFor(term)[0]).then(function (s) {
      return decode(s.byKey.get(field + '\u0000' + term)) || null;
    });
  };

  // expand lists the posting lists of field whose terms match a wildcard.
  Engine.prototype.expand = function (field, pattern) {
    var lit = '', i = 0;
    while (i < pattern.length && pattern[i] !== '*' && pattern[i] !== '?') lit += pattern[i++];
    if (!lit) return Promise.reject(new QueryError('here a wildcard must start with a letter or digit ("rebal*", not "' + pattern + '")'));
    var re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'su');
    var self = this;
    return Promise.all(this.shardsFor(lit, lit + '\uffff').map(function (k) { return self.shard(k); })).then(function (shards) {
      var out = [];
      shards.forEach(function (s) {
        s.entries.forEach(function (en) { if (en.field === field && en.term.indexOf(lit) === 0 && re.test(en.term)) out.push(decode(en)); });
      });
      return out;
    });
  };

  // ---------- Compiling a query ----------

  var FIELD_ALIASES = {
    title: 'title', summary: 'summary', heading: 'headings', headings: 'headings', body: 'body', text: 'body',
    severity: 'severity', sev: 'severity', people: 'people', person: 'people', responder: 'people',
    responders: 'people', investigator: 'people', investigators: 'people', date: 'date'
  };

  Engine.prototype.fieldFor = function (name) {
    var l = name.toLowerCase(), f = FIELD_ALIASES[l];
    if (f === 'date') throw new QueryError('date: queries need the search service; use the date fields of the search page');
    if (f) return { field: this.fieldIndex[f], keyword: f === 'severity' || f === 'people' };
    var key = l.replace(/_/g, '-');
    for (var i = 0; i < this.tax.length; i++) {
      if (this.tax[i].key === key || this.tax[i].field.toLowerCase() === l) return { field: this.fieldIndex.tax, keyword: true, tax: this.tax[i] };
    }
    var names = ['title', 'summary', 'headings', 'body', 'severity', 'people', 'date'].concat(this.tax.map(function (t) { return t.key; }));
    throw new QueryError('unknown field "' + name + '" in the query (have ' + names.join(', ') + ')');
  };

  function canonical(tax, v) {
    var id = normalize(v);
    return (tax.aliases && tax.aliases[id]) || id;
  }

  // A compiled query is a tree of nodes as bleve's searchers are:
  //   {t:'term', field, term, boost}        one posting list
  //   {t:'phrase', field, terms:[[term,rel]], boost}
  //   {t:'or', kids, qs}   sum of matches × matched/total (qs: query-string mode, match-none children dropped)
  //   {t:'and', kids}      all; sum
  //   {t:'bool', must, should, not}
  //   {t:'all'} / {t:'none'}
  var NONE = { t: 'none' };

  Engine.prototype.compileClause = function (c, budget) {
    var self = this, m = this.manifest;
    function allText(make) {
      return { t: 'or', kids: m.textFields.map(function (tf) { return make(tf[0], tf[1] * c.boost); }) };
    }
    function matchIn(field, boost) {
      var toks = self.analyzer.analyze(c.text);
      if (!toks.length) return NONE;
      return { t: 'or', kids: toks.map(function (tk) { return { t: 'term', field: field, term: tk.term, boost: boost }; }) };
    }
    function phraseIn(field, boost) {
      var toks = self.analyzer.analyze(c.text);
      if (!toks.length) return NONE;
      var first = toks[0].pos;
      toks.forEach(function (tk) { first = Math.min(first, tk.pos); });
      return { t: 'phrase', field: field, boost: boost, terms: toks.map(function (tk) { return [tk.term, tk.pos - first]; }) };
    }
    if (c.kind === 'fuzzy') throw new QueryError('fuzzy terms (' + c.text + '~) need the search service; this site searches in the browser');
    if (c.kind === 'regexp') throw new QueryError('regular expressions need the search service; this site searches in the browser');
    if (c.kind === 'wildcard') {
      var w = c.text.toLowerCase();
      if (w.replace(/\*/g, '') === '') {
        if (c.field) this.fieldFor(c.field);
        return { t: 'all' };
      }
      if (++budget.n > 8) throw new QueryError('at most 8 wildcard, fuzzy or regular-expression terms in one query');
      if (!c.field) return allText(function (f, boost) { return { t: 'wild', field: f, pattern: w, boost: boost }; });
      var fw = this.fieldFor(c.field);
      return { t: 'wild', field: fw.field, pattern: fw.tax ? fw.tax.key + ':' + w : w, boost: c.boost };
    }
    if (!c.field) {
      if (!this.analyzer.analyze(c.text).length) return NONE;
      return allText(c.kind === 'phrase' ? phraseIn : matchIn);
    }
    var fd = this.fieldFor(c.field);
    if (fd.keyword) {
      var v = fd.tax ? fd.tax.key + ':' + canonical(fd.tax, c.text) : normalize(c.text);
      var node = { t: 'term', field: fd.field, term: v, boost: c.boost };
      return c.kind === 'phrase' ? { t: 'phrase', field: fd.field, boost: c.boost, terms: [[v, 0]] } : { t: 'or', kids: [node] };
    }
    return c.kind === 'phrase' ? phraseIn(fd.field, c.boost) : matchIn(fd.field, c.boost);
  };

  Engine.prototype.compile = function (text) {
    var clauses = parse(text), budget = { n: 0 }, must = [], should = [], not = [];
    for (var i = 0; i < clauses.length; i++) {
      var n = this.compileClause(clauses[i], budget);
      (clauses[i].op === '+' ? must : clauses[i].op === '-' ? not : should).push(n);
    }
    return { t: 'bool', must: { t: 'and', kids: must, qs: true }, should: { t: 'or', kids: should, qs: true }, not: { t: 'or', kids: not, qs: true } };
  };

  // resolve fetches every posting list a tree needs, in parallel.
  Engine.prototype.resolve = function (node) {
    var self = this, jobs = [];
    (function walk(n) {
      if (!n) return;
      if (n.t === 'term') jobs.push(self.lookup(n.field, n.term).then(function (en) { n.en = en; }));
      else if (n.t === 'phrase') {
        n.ens = [];
        n.terms.forEach(function (tr, k) {
          jobs.push(self.lookup(n.field, tr[0]).then(function (en) {
            n.ens[k] = en;
            if (en) return self.positions(en).then(function (ps) { en.pos = ps; });
          }));
        });
      } else if (n.t === 'wild') {
        jobs.push(self.expand(n.field, n.pattern).then(function (ens) {
          if (ens.length > self.manifest.maxClauses) {
            throw new QueryError('the query matches too many different words (wildcards, fuzzy or regular expressions expand to more than ' + self.manifest.maxClauses + '); make it more specific');
          }
          n.ens = ens;
        }));
      } else if (n.t === 'or' || n.t === 'and') n.kids.forEach(walk);
      else if (n.t === 'bool') { walk(n.must); walk(n.should); walk(n.not); }
    })(node);
    return Promise.all(jobs);
  };

  // ---------- Scoring ----------

  // evaluate returns, for a resolved node, every document's score in a
  // Float64Array (-1: no match; BM25 scores are positive), or null for a
  // match-none clause, which query-string clauses skip.
  Engine.prototype.evaluate = function (n, ctx) {
    var self = this, N = this.manifest.docCount, d;
    switch (n.t) {
      case 'none': return null;
      case 'all': return new Float64Array(N).fill(1);
      case 'term': return n.en ? this.scoreList(n.en, n.boost, ctx, new Float64Array(N).fill(-1)) : new Float64Array(N).fill(-1);
      case 'wild': {
        if (!n.ens.length) return null;
        return this.combineOr(n.ens.map(function (en) { return self.scoreList(en, n.boost, ctx, new Float64Array(N).fill(-1)); }));
      }
      case 'phrase': return this.phrase(n, ctx);
      case 'or': {
        var kids = n.kids.map(function (k) { return self.evaluate(k, ctx); });
        if (n.qs) kids = kids.filter(function (k) { return k !== null; });
        if (!kids.length) return null;
        // One child's disjunction scores as the child (times 1/1).
        if (kids.length === 1) return kids[0] || new Float64Array(N).fill(-1);
        return this.combineOr(kids.map(function (k) { return k || new Float64Array(N).fill(-1); }));
      }
      case 'and': {
        var ks = n.kids.map(function (k) { return self.evaluate(k, ctx); });
        if (n.qs) ks = ks.filter(function (k) { return k !== null; });
        if (!ks.length) return null;
        var out = new Float64Array(N).fill(-1);
        if (ks.some(function (k) { return k === null; })) return out;
        for (d = 0; d < N; d++) {
          var sum = 0, i = 0;
          for (; i < ks.length && ks[i][d] >= 0; i++) sum += ks[i][d];
          if (i === ks.length) out[d] = sum;
        }
        return out;
      }
      case 'bool': {
        var must = this.evaluate(n.must, ctx), should = this.evaluate(n.should, ctx), not = this.evaluate(n.not, ctx);
        if (!must && !should && !not) return null;
        var res;
        if (must) {
          res = must;
          if (should) for (d = 0; d < N; d++) if (res[d] >= 0 && should[d] >= 0) res[d] += should[d];
        } else if (should) res = should;
        else res = new Float64Array(N).fill(1);
        if (not) for (d = 0; d < N; d++) if (not[d] >= 0) res[d] = -1;
        return res;
      }
    }
    throw new Error('unknown node ' + n.t);
  };

  // combineOr is bleve's disjunction: the sum of the matching children's
  // scores times the share of children that match.
  Engine.prototype.combineOr = function (kids) {
    var N = this.manifest.docCount, sum = new Float64Array(N), cnt = new Uint16Array(N), total = kids.length;
    kids.forEach(function (k) {
      for (var d = 0; d < N; d++) if (k[d] >= 0) { sum[d] += k[d]; cnt[d]++; }
    });
    for (var d = 0; d < N; d++) sum[d] = cnt[d] ? sum[d] * cnt[d] / total : -1;
    return sum;
  };

  Engine.prototype.idf = function (df) {
    var N = this.manifest.docCount;
    return Math.log(1 + (N - df + 0.5) / (df + 0.5));
  };

  // scoreList scores one posting list as bleve's TermQueryScorer does
  // with BM25 (the query norm, the same for every document, left out).
  Engine.prototype.scoreList = function (en, boost, ctx, out) {
    var m = this.manifest, idf = this.idf(en.docs.length);
    var avg = m.avgLen[en.field], lens = ctx.lens[en.field], k1 = m.k1, b = m.b;
    var w = boost * idf * idf;
    for (var i = 0; i < en.docs.length; i++) {
      var d = en.docs[i], tf = Math.sqrt(en.tfs[i]);
      var norm = Math.fround(1 / Math.sqrt(lens[d]));
      var fl = 1 / (norm * norm);
      var s = avg > 0 ? (tf * k1) / (tf + k1 * (1 - b + b * fl / avg)) : tf * norm;
      out[d] = s * w;
    }
    return out;
  };

  // phrase keeps the documents where the terms stand at their relative
  // positions in one element; the score is the terms' sum, as bleve's
  // phrase searcher scores its conjunction.
  Engine.prototype.phrase = function (n, ctx) {
    var ens = n.ens, out = new Float64Array(this.manifest.docCount).fill(-1);
    if (ens.some(function (en) { return !en; })) return out;
    var self = this;
    var maps = ens.map(function (en) {
      var mp = new Map();
      for (var i = 0; i < en.docs.length; i++) mp.set(en.docs[i], i);
      return mp;
    });
    var first = ens[0];
    for (var i = 0; i < first.docs.length; i++) {
      var d = first.docs[i], idx = [];
      var ok = maps.every(function (mp, k) { var j = mp.get(d); idx[k] = j; return j !== undefined; });
      if (!ok) continue;
      var starts = first.pos[i].map(function (p) { return p - n.terms[0][1]; });
      var hit = starts.some(function (s0) {
        return n.terms.every(function (tr, k) { return ens[k].pos[idx[k]].indexOf(s0 + tr[1]) >= 0; });
      });
      if (!hit) continue;
      var s = 0;
      ens.forEach(function (en, k) { s += self.scoreOne(en, idx[k], n.boost, ctx); });
      out[d] = s;
    }
    return out;
  };

  Engine.prototype.scoreOne = function (en, i, boost, ctx) {
    var m = this.manifest, idf = this.idf(en.docs.length), d = en.docs[i];
    var tf = Math.sqrt(en.tfs[i]), norm = Math.fround(1 / Math.sqrt(ctx.lens[en.field][d])), fl = 1 / (norm * norm);
    var avg = m.avgLen[en.field];
    return boost * idf * idf * (avg > 0 ? (tf * m.k1) / (tf + m.k1 * (1 - m.b + m.b * fl / avg)) : tf * norm);
  };

  // ---------- Searching ----------

  var MAX_QUERY = 512, MAX_VALUES = 64, MAX_SIZE = 20, MAX_PAGE = 100;

  // parseParams reads URL parameters as index.ParseQuery does.
  Engine.prototype.parseParams = function (params) {
    var self = this, q = { text: '', filters: {}, from: '', to: '', page: 1, size: 10 }, values = 0;
    var tax = {};
    this.tax.forEach(function (t) { tax[t.key] = t; tax[t.key.replace(/-/g, '_')] = t; });
    var seen = {};
    params.forEach(function (v, k) {
      if (k === 'q' || k === 'page' || k === 'size' || k === 'from' || k === 'to') {
        if (seen[k]) throw new QueryError(k + ' given more than once');
        seen[k] = true;
        v = v.trim();
        if (k === 'q') {
          if (new TextEncoder().encode(v).length > MAX_QUERY) throw new QueryError('q is longer than ' + MAX_QUERY + ' bytes');
          q.text = v;
        } else if (k === 'page' || k === 'size') {
          if (!v) return;
          var lim = k === 'page' ? MAX_PAGE : MAX_SIZE, n = /^\+?\d+$/.test(v) ? parseInt(v, 10) : NaN;
          if (!(n >= 1 && n <= lim)) throw new QueryError(k + ' must be a whole number from 1 to ' + lim);
          q[k] = n;
        } else if (v) {
          var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
          if (!m) throw new QueryError(k + ': "' + v + '" is not a date (YYYY-MM-DD)');
          q[k] = m[0];
        }
        return;
      }
      var t = tax[k];
      if (!t) {
        if (!self.tax.length) throw new QueryError('unknown parameter "' + k + '"; this library has no taxonomies');
        throw new QueryError('unknown parameter "' + k + '" (use q, page, size, from, to or a taxonomy: ' + self.tax.map(function (x) { return x.key; }).join(', ') + ')');
      }
      v.split(',').forEach(function (part) {
        part = part.trim();
        if (!part) return;
        if (++values > MAX_VALUES) throw new QueryError('at most ' + MAX_VALUES + ' filter values');
        var id = normalize(part);
        if (!id) throw new QueryError(t.key + ': "' + part + '" is not a term');
        var list = q.filters[t.key] = q.filters[t.key] || [];
        id = canonical(t, id);
        if (list.indexOf(id) < 0) list.push(id);
      });
    });
    if (q.from && q.to && q.to < q.from) throw new QueryError('to (' + q.to + ') is before from (' + q.from + ')');
    return q;
  };

  function dayNumber(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return Math.floor(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000);
  }

  // search answers URL parameters (URLSearchParams or a plain object)
  // with the API's JSON: {total, hits, facets}.
  Engine.prototype.search = function (params) {
    var self = this;
    if (!(params instanceof URLSearchParams)) params = new URLSearchParams(params);
    return this.init().then(function () {
      var q = self.parseParams(params);
      var tree = q.text ? self.compile(q.text) : null;
      var needs = [self.facets()];
      if (tree) needs.push(self.norms(), self.resolve(tree));
      // A page that opens without a query (the search page, newest
      // first) is about to be given one: the field lengths every ranked
      // query needs are fetched meanwhile.
      else self.norms().catch(function () {});
      return Promise.all(needs).then(function (got) {
        return self.run(q, tree, got[0], got[1]);
      });
    });
  };

  // prefetch fetches what a query being typed will need (its words'
  // dictionary shards, a phrase's positions) without running it, and
  // never fails. search.js calls it on each keystroke, so those fetches
  // happen during the debounce instead of after it. A last word with no
  // space after it may still grow, so it is left out until every term
  // it could grow into lies in one shard: fetching for each beginning
  // of a word ("c", "co", "con") doubled what a fast typist's further
  // query fetched.
  Engine.prototype.prefetch = function (text) {
    var self = this;
    return this.init().then(function () {
      var cut = text.search(/\S+$/);
      if (cut >= 0) {
        var toks = tokenize(text.slice(cut)), w = toks.length ? lower(toks[toks.length - 1].term) : '';
        if (!w || self.shardsFor(w, w + '\uffff').length > 1) text = text.slice(0, cut);
      }
      var tree = self.compile(text);
      if (tree) return self.resolve(tree);
    }).catch(function () {});
  };

  Engine.prototype.run = function (q, tree, fc, lens) {
    var self = this, m = this.manifest, N = m.docCount;
    var ctx = { lens: lens };
    var scores = tree ? this.evaluate(tree, ctx) : null;
    if (tree && !scores) scores = new Float64Array(N).fill(-1);

    // Filters: OR within a taxonomy, AND across, and the day range.
    var groups = Object.keys(q.filters).sort().map(function (k) {
      var has = new Uint8Array(N);
      q.filters[k].forEach(function (id) {
        var n = self.termNum.get(k + ':' + id);
        if (n !== undefined) fc.lists[n].forEach(function (d) { has[d] = 1; });
      });
      return has;
    });
    var from = q.from ? dayNumber(q.from) : -Infinity, to = q.to ? dayNumber(q.to) : Infinity;
    function keep(d) {
      var day = fc.days[d];
      if (day < from || day > to) return false;
      for (var g = 0; g < groups.length; g++) if (!groups[g][d]) return false;
      return true;
    }
    // The matches are document numbers in a typed array: with a pair
    // per match, the collector took twice the time (29 ms against 15 ms
    // over three queries in a Node profile).
    var matches = new Int32Array(N), total = 0, matched = new Uint8Array(N);
    for (var d = 0; d < N; d++) {
      if ((!scores || scores[d] >= 0) && keep(d)) { matches[total++] = d; matched[d] = 1; }
    }
    matches = matches.subarray(0, total);

    // Only the pages up to this one are ranked: a heap keeps the best.
    // Their documents are asked for before the facets are counted, so
    // the network works while the counting does, and each hit's
    // excerpts are cut as its document arrives. The page is a plain
    // array: an Int32Array's map would make numbers of the promises.
    var page = Array.from((tree ? topK(matches, scores, q.page * q.size) : matches).slice((q.page - 1) * q.size, q.page * q.size));
    var marks = tree ? this.markTerms(tree) : null;
    var hits = Promise.all(page.map(function (d) {
      return self.get(m.docs + d + '.json', 'json').then(function (doc) {
        return {
          slug: doc.slug, title: doc.title, url: doc.url, date: doc.date, summary: doc.summary || '',
          fragments: marks ? self.fragments(doc, marks) : []
        };
      });
    }));

    var facets = {};
    m.taxonomies.forEach(function (t) { facets[t.key] = []; });
    for (var i = 0; i < fc.lists.length; i++) {
      var list = fc.lists[i], c = 0;
      for (var j = 0; j < list.length; j++) c += matched[list[j]];
      if (!c) continue;
      var tt = m.terms[i];
      facets[m.taxonomies[tt[0]].key].push({ term: tt[1], title: tt[2], count: c });
    }
    Object.keys(facets).forEach(function (k) {
      facets[k].sort(function (a, b) { return (b.count - a.count) || cmpFold(a.title, b.title) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0); });
    });

    return hits.then(function (hs) { return { total: total, hits: hs, facets: facets }; });
  };

  // topK returns the k best of the documents docs, best first: by score,
  // as bleve orders hits, then (here) newest first.
  function topK(docs, scores, k) {
    function better(a, b) { return scores[a] > scores[b] || (scores[a] === scores[b] && a < b); }
    var h = [];
    function down(i) {
      for (;;) {
        var l = 2 * i + 1, r = l + 1, m = i;
        if (l < h.length && better(h[m], h[l])) m = l;
        if (r < h.length && better(h[m], h[r])) m = r;
        if (m === i) return;
        var t = h[i]; h[i] = h[m]; h[m] = t; i = m;
      }
    }
    // h is a heap with the worst kept item on top.
    for (var i = 0; i < docs.length; i++) {
      var x = docs[i];
      if (h.length < k) {
        h.push(x);
        for (var j = h.length - 1; j > 0;) {
          var p = (j - 1) >> 1;
          if (!better(h[p], h[j])) break;
          var t = h[p]; h[p] = h[j]; h[j] = t; j = p;
        }
      } else if (k > 0 && better(x, h[0])) {
        h[0] = x;
        down(0);
      }
    }
    return h.sort(function (a, b) { return better(a, b) ? -1 : better(b, a) ? 1 : 0; });
  }

  // markTerms collects the body and heading terms a query looks for (not
  // the excluded ones), for fragments.
  Engine.prototype.markTerms = function (tree) {
    var body = new Set(), heads = new Set(), fi = this.fieldIndex;
    (function walk(n) {
      if (!n) return;
      var put = function (field, term) { if (field === fi.body) body.add(term); if (field === fi.headings) heads.add(term); };
      if (n.t === 'term') put(n.field, n.term);
      else if (n.t === 'phrase') n.terms.forEach(function (tr) { put(n.field, tr[0]); });
      else if (n.t === 'wild') (n.ens || []).forEach(function (en) { put(n.field, en.term); });
      else if (n.t === 'or' || n.t === 'and') n.kids.forEach(walk);
      else if (n.t === 'bool') { walk(n.must); walk(n.should); }
    })(tree);
    return { body: body, heads: heads };
  };

  // ---------- Fragments: index/fragments.go ----------

  var FRAGMENT_SIZE = 200, LEAD_IN = 50, MAX_FRAGMENTS = 2;

  Engine.prototype.spans = function (text, terms) {
    var out = [];
    if (!terms.size || !text) return out;
    this.analyzer.analyze(text).forEach(function (tk) { if (terms.has(tk.term)) out.push({ start: tk.start, end: tk.end, term: tk.term }); });
    return out;
  };

  Engine.prototype.fragments = function (doc, marks) {
    var spans = this.spans(doc.body || '', marks.body);
    if (spans.length) return cutFragments(doc.body, spans);
    var out = [];
    var heads = doc.headings || [];
    for (var i = 0; i < heads.length && out.length < MAX_FRAGMENTS; i++) {
      var hs = this.spans(heads[i], marks.heads);
      if (hs.length) out.push(highlight(heads[i], 0, heads[i].length, hs));
    }
    return out;
  };

  function cutFragments(text, spans) {
    var windows = [];
    for (var i = 0; i < spans.length; i++) {
      var w = { first: i, last: i }, seen = new Set();
      for (var j = i; j < spans.length && spans[j].end - spans[i].start <= FRAGMENT_SIZE - LEAD_IN; j++) { w.last = j; seen.add(spans[j].term); }
      w.distinct = seen.size;
      w.i = i;
      windows.push(w);
    }
    windows.sort(function (a, b) { return (b.distinct - a.distinct) || ((b.last - b.first) - (a.last - a.first)) || (a.i - b.i); });
    var out = [], used = [];
    for (var k = 0; k < windows.length && out.length < MAX_FRAGMENTS; k++) {
      var bd = bounds(text, spans[windows[k].first].start, spans[windows[k].last].end);
      if (used.some(function (u) { return bd[0] < u[1] && u[0] < bd[1]; })) continue;
      used.push(bd);
      out.push(highlight(text, bd[0], bd[1], spans));
    }
    return out;
  }

  function bounds(text, from, to) {
    var start = Math.max(0, from - LEAD_IN), end = Math.min(text.length, Math.max(to, start + FRAGMENT_SIZE));
    if (start > 0) {
      var sp = text.slice(start, from).search(/\s/);
      if (sp >= 0) start += sp + 1;
    }
    if (end < text.length) {
      var tail = text.slice(to, end), last = -1;
      for (var i = tail.length - 1; i >= 0; i--) if (/\s/.test(tail[i])) { last = i; break; }
      if (last >= 0) end = to + last;
    }
    return [start, end];
  }

  function escapeHTML(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  }

  function highlight(text, start, end, spans) {
    var b = start > 0 ? '…' : '', at = start;
    spans.forEach(function (s) {
      if (s.start < start || s.end > end) return;
      b += escapeHTML(text.slice(at, s.start)) + '<mark>' + escapeHTML(text.slice(s.start, s.end)) + '</mark>';
      at = s.end;
    });
    b += escapeHTML(text.slice(at, end));
    if (end < text.length) b += '…';
    return b.split(/\s+/).filter(Boolean).join(' ');
  }

  function cmpFold(a, b) {
    a = Array.from(a); b = Array.from(b);
    for (var i = 0; i < a.length && i < b.length; i++) {
      if (a[i] === b[i]) continue;
      var la = a[i].toLowerCase(), lb = b[i].toLowerCase();
      if (la !== lb) return la.codePointAt(0) - lb.codePointAt(0);
    }
    return a.length - b.length;
  }

  // ---------- Entry points ----------

  // open returns an engine for the bundle at base (a URL ending in /),
  // fetching with the browser's fetch unless load is given.
  function open(base, load) {
    load = load || function (name, kind) {
      return fetch(base + name, { credentials: 'same-origin' }).then(function (resp) {
        if (!resp.ok) throw new Error('search bundle: ' + name + ': HTTP ' + resp.status);
        return kind === 'json' ? resp.json() : resp.arrayBuffer();
      });
    };
    return new Engine(load);
  }

  var api = {
    open: open,
    QueryError: QueryError,
    Analyzer: Analyzer,
    stem: stem,
    tokenize: tokenize,
    parse: parse
  };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  else root.CasebookStaticSearch = api;
})(typeof self !== 'undefined' ? self : this);
