#include "tmpl/text_filters.h"

#include <utf8proc.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tmpl/args.h"
#include "tmpl/environment.h"
#include "tmpl/ops.h"
#include "tmpl/unicode_case.h"
#include "tmpl/value_internal.h"

namespace tmpl {
namespace {

using U32 = std::u32string;
using U32View = std::u32string_view;

// ---------------------------------------------------------------------
// Character classes of Python's `re` on str patterns.

utf8proc_category_t Category(char32_t c) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

// \d: decimal digits of any script.
bool IsDigit(char32_t c) { return Category(c) == UTF8PROC_CATEGORY_ND; }

// \w: letters and numbers of any script, and '_'.
bool IsWord(char32_t c) {
  if (c == '_') return true;
  auto cat = Category(c);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

// \s, as str.isspace().
bool IsSpace(char32_t c) {
  if (c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) ||
      c == 0x85) {
    return true;
  }
  auto cat = Category(c);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP;
}

bool IsAsciiLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsHex(char32_t c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool StartsWith(U32View s, U32View p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

bool EndsWith(U32View s, U32View p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// ASCII-case-insensitive prefix test (the URL pattern is IGNORECASE).
bool StartsWithNoCase(U32View s, U32View p) {
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    char32_t a = s[i];
    if (a >= 'A' && a <= 'Z') a += 'a' - 'A';
    if (a != p[i]) return false;
  }
  return true;
}

size_t Count(U32View s, U32View sub) {
  size_t n = 0;
  for (size_t i = s.find(sub); i != U32View::npos;
       i = s.find(sub, i + sub.size())) {
    ++n;
  }
  return n;
}

// ---------------------------------------------------------------------
// Jinja's URL pattern (utils._http_re), matched by hand: a host, then an
// optional port ":" + 1-5 digits, then optionally [/?#] and anything.

// The part after the host: (:\d{1,5})? ([/?#]\S*)? and the end.
bool PortAndPathOk(U32View rest) {
  size_t i = 0;
  if (i < rest.size() && rest[i] == ':') {
    size_t d = 0;
    ++i;
    while (i < rest.size() && IsDigit(rest[i]) && d < 5) {
      ++i;
      ++d;
    }
    if (d == 0) return false;
  }
  if (i == rest.size()) return true;
  return rest[i] == '/' || rest[i] == '?' || rest[i] == '#';
}

// Splits `s` at the first ':', '/', '?' or '#' (where a name host ends).
std::pair<U32View, U32View> SplitHost(U32View s) {
  size_t i = 0;
  while (i < s.size() && s[i] != ':' && s[i] != '/' && s[i] != '?' &&
         s[i] != '#') {
    ++i;
  }
  return {s.substr(0, i), s.substr(i)};
}

std::vector<U32View> Labels(U32View host) {
  std::vector<U32View> out;
  size_t b = 0;
  while (true) {
    size_t e = host.find(U'.', b);
    out.push_back(host.substr(b, e == U32View::npos ? U32View::npos : e - b));
    if (e == U32View::npos) break;
    b = e + 1;
  }
  return out;
}

bool LabelChars(U32View l, bool allow_dash) {
  for (char32_t c : l) {
    if (!(IsWord(c) || c == '%' || (allow_dash && c == '-'))) return false;
  }
  return true;
}

// (https?://|www\.) ([\w%-]+\.)* ([a-z]{2,63} | xn--[\w%]{2,59})
bool SchemeOrWwwHost(U32View host) {
  auto labels = Labels(host);
  for (size_t i = 0; i + 1 < labels.size(); ++i) {
    if (labels[i].empty() || !LabelChars(labels[i], true)) return false;
  }
  U32View tld = labels.back();
  if (tld.size() >= 2 && tld.size() <= 63 &&
      std::all_of(tld.begin(), tld.end(), IsAsciiLetter)) {
    return true;
  }
  if (StartsWithNoCase(tld, U"xn--")) {
    U32View rest = tld.substr(4);
    return rest.size() >= 2 && rest.size() <= 59 && LabelChars(rest, false);
  }
  return false;
}

// ([\w%-]{2,63}\.)+ (com|net|int|edu|gov|org|info|mil)
bool BareDomainHost(U32View host) {
  static const U32 kTlds[] = {U"com", U"net", U"int", U"edu",
                              U"gov", U"org", U"info", U"mil"};
  auto labels = Labels(host);
  if (labels.size() < 2) return false;
  for (size_t i = 0; i + 1 < labels.size(); ++i) {
    if (labels[i].size() < 2 || labels[i].size() > 63 ||
        !LabelChars(labels[i], true)) {
      return false;
    }
  }
  U32View tld = labels.back();
  for (const auto& t : kTlds) {
    if (tld.size() == t.size() && StartsWithNoCase(tld, t)) return true;
  }
  return false;
}

// \d{1,3}(\.\d{1,3}){3}
bool Ipv4(U32View host) {
  auto labels = Labels(host);
  if (labels.size() != 4) return false;
  for (auto l : labels) {
    if (l.empty() || l.size() > 3 || !std::all_of(l.begin(), l.end(), IsDigit))
      return false;
  }
  return true;
}

// \[ ([\da-f]{0,4}:){2} ([\da-f]{0,4}:?){1,6} \] followed by port/path.
bool Ipv6AndRest(U32View s) {
  if (s.empty() || s[0] != '[') return false;
  size_t close = s.find(U']');
  if (close == U32View::npos) return false;
  U32View body = s.substr(1, close - 1);
  size_t i = 0;
  for (int g = 0; g < 2; ++g) {
    size_t d = 0;
    while (i < body.size() && IsHex(body[i])) {
      ++i;
      ++d;
    }
    if (d > 4 || i >= body.size() || body[i] != ':') return false;
    ++i;
  }
  // The rest needs as many groups (up to 4 hex digits, then an optional
  // ':') as its hex runs and stray colons take; at most 6.
  int groups = 0;
  while (i < body.size()) {
    if (body[i] == ':') {
      ++groups;
      ++i;
      continue;
    }
    if (!IsHex(body[i])) return false;
    size_t run = 0;
    while (i < body.size() && IsHex(body[i])) {
      ++i;
      ++run;
    }
    groups += static_cast<int>((run + 3) / 4);
    if (i < body.size() && body[i] == ':') ++i;  // ends the last group
  }
  if (groups > 6) return false;
  return PortAndPathOk(s.substr(close + 1));
}

bool LooksLikeUrl(U32View m) {
  for (U32View scheme : {U32View(U"http://"), U32View(U"https://"),
                         U32View(U"www.")}) {
    if (!StartsWithNoCase(m, scheme)) continue;
    U32View after = m.substr(scheme.size());
    auto [host, rest] = SplitHost(after);
    if (SchemeOrWwwHost(host) && PortAndPathOk(rest)) return true;
    if (scheme != U"www.") {
      if (Ipv4(host) && PortAndPathOk(rest)) return true;
      if (Ipv6AndRest(after)) return true;
    }
  }
  auto [host, rest] = SplitHost(m);
  return BareDomainHost(host) && PortAndPathOk(rest);
}

// utils._email_re: \S+ @ \w[\w.-]* \. \w+ (whole word).
bool LooksLikeEmail(U32View m) {
  size_t at = m.rfind(U'@');
  if (at == U32View::npos || at == 0) return false;
  U32View dom = m.substr(at + 1);
  if (dom.empty() || !IsWord(dom[0])) return false;
  for (char32_t c : dom) {
    if (!IsWord(c) && c != '.' && c != '-') return false;
  }
  size_t dot = dom.rfind(U'.');
  if (dot == U32View::npos || dot == 0 || dot + 1 == dom.size()) return false;
  U32View tail = dom.substr(dot + 1);
  return std::all_of(tail.begin(), tail.end(), IsWord);
}

// The leading ([(<]|&lt;)+ of a word.
size_t HeadLength(U32View w) {
  size_t i = 0;
  while (i < w.size()) {
    if (w[i] == '(' || w[i] == '<') {
      ++i;
    } else if (StartsWith(w.substr(i), U"&lt;")) {
      i += 4;
    } else {
      break;
    }
  }
  return i;
}

// The trailing ([)>.,\n]|&gt;)+ of a word; read from the end, where the
// tokens cannot overlap.
size_t TailStart(U32View w) {
  size_t e = w.size();
  while (e > 0) {
    char32_t c = w[e - 1];
    if (c == ')' || c == '>' || c == '.' || c == ',' || c == '\n') {
      --e;
    } else if (EndsWith(w.substr(0, e), U"&gt;")) {
      e -= 4;
    } else {
      break;
    }
  }
  return e;
}

// Python's `x[:limit] + "..." if len(x) > limit else x`, whose errors for
// a limit that is not an int only show when a URL is found.
U32 TrimUrl(const U32& x, const std::optional<Value>& limit_arg) {
  if (!limit_arg) return x;
  auto n = static_cast<int64_t>(x.size());
  const Value& lv = *limit_arg;
  if (lv.is_float()) {
    if (static_cast<double>(n) <= lv.AsFloat()) return x;
    Raise("TypeError", "slice indices must be integers or None or have an "
                       "__index__ method");
  }
  if (!lv.is_integral()) {
    Raise("TypeError", "'>' not supported between instances of 'int' and '" +
                           lv.TypeName() + "'");
  }
  int64_t limit = lv.AsInt();
  if (n <= limit) return x;
  // Python's x[:limit], negative limits counting from the end.
  int64_t cut = limit < 0 ? std::max<int64_t>(0, n + limit) : limit;
  return x.substr(0, static_cast<size_t>(cut)) + U"...";
}

struct UrlizeOptions {
  std::optional<Value> limit;  // trim_url_limit unless None
  U32 rel_attr;     // ' rel="..."' or empty
  U32 target_attr;  // ' target="..."' or empty
  std::vector<U32> extra_schemes;
};

U32 LinkWord(U32 middle, const UrlizeOptions& o) {
  U32 attrs = o.rel_attr + o.target_attr;
  if (LooksLikeUrl(middle)) {
    U32 text = TrimUrl(middle, o.limit);
    U32 href = StartsWith(middle, U"https://") || StartsWith(middle, U"http://")
                   ? middle
                   : U"https://" + middle;
    return U"<a href=\"" + href + U"\"" + attrs + U">" + text + U"</a>";
  }
  if (StartsWith(middle, U"mailto:") &&
      LooksLikeEmail(U32View(middle).substr(7))) {
    return U"<a href=\"" + middle + U"\">" + middle.substr(7) + U"</a>";
  }
  if (middle.find(U'@') != U32::npos && !StartsWith(middle, U"www.") &&
      middle.find(U':') == U32::npos && LooksLikeEmail(middle)) {
    return U"<a href=\"mailto:" + middle + U"\">" + middle + U"</a>";
  }
  for (const auto& scheme : o.extra_schemes) {
    if (middle != scheme && StartsWith(middle, scheme)) {
      middle = U"<a href=\"" + middle + U"\"" + attrs + U">" + middle + U"</a>";
    }
  }
  return middle;
}

U32 UrlizeWord(U32View word, const UrlizeOptions& o) {
  size_t h = HeadLength(word);
  U32 head(word.substr(0, h));
  U32 middle(word.substr(h));
  U32 tail;
  size_t t = TailStart(middle);
  tail = middle.substr(t);
  middle.resize(t);
  // Brackets opened in the URL take back closing ones from the tail.
  static const std::pair<U32View, U32View> kPairs[] = {
      {U"(", U")"}, {U"<", U">"}, {U"&lt;", U"&gt;"}};
  for (const auto& [open, close] : kPairs) {
    size_t opens = Count(middle, open);
    if (opens <= Count(middle, close)) continue;
    size_t moves = std::min(opens, Count(tail, close));
    for (size_t k = 0; k < moves; ++k) {
      size_t end = tail.find(close) + close.size();
      middle += tail.substr(0, end);
      tail.erase(0, end);
    }
  }
  return head + LinkWord(std::move(middle), o) + tail;
}

U32 Urlize(U32View text, const UrlizeOptions& o) {
  U32 out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    if (IsSpace(text[i])) {
      while (j < text.size() && IsSpace(text[j])) ++j;
      out += text.substr(i, j - i);
    } else {
      while (j < text.size() && !IsSpace(text[j])) ++j;
      out += UrlizeWord(text.substr(i, j - i), o);
    }
    i = j;
  }
  return out;
}

// markupsafe.escape(): Markup passes, anything else is str() and escaped.
std::string Escaped(const Value& v) {
  if (v.is_markup()) return v.AsStr();
  return EscapeHtml(v.ToStr());
}

// _uri_scheme_re: [\w.+-]{2,}:(/){0,2}, whole string.
bool ValidScheme(U32View s) {
  size_t i = 0;
  while (i < s.size() && (IsWord(s[i]) || s[i] == '.' || s[i] == '+' ||
                          s[i] == '-')) {
    ++i;
  }
  if (i < 2 || i >= s.size() || s[i] != ':') return false;
  U32View slashes = s.substr(i + 1);
  return slashes.size() <= 2 &&
         std::all_of(slashes.begin(), slashes.end(),
                     [](char32_t c) { return c == '/'; });
}

Value FilterUrlize(CallContext& ctx, const Value& in, CallArgs& args) {
  auto a = BindArgs("urlize", args,
                    {"trim_url_limit", "nofollow", "target", "rel",
                     "extra_schemes"});
  if (in.is_strict_undefined(ctx.environment().options().strict_undefined)) {
    FailUndefined(in);
  }
  UrlizeOptions o;
  if (a[0] && !a[0]->is_none()) o.limit = a[0];
  // PARITY(jinja): rel is the sorted union of the argument's words,
  // "nofollow" and the urlize.rel policy ("noopener").
  std::set<std::string> rel_parts = {"noopener"};
  if (a[3] && a[3]->Truthy()) {
    if (!a[3]->is_str()) {
      Raise("AttributeError", "'" + a[3]->TypeName() +
                                  "' object has no attribute 'split'");
    }
    CallArgs none;
    for (const auto& w :
         Iterate(CallValue(ctx, *BuiltinMethod(*a[3], "split"), none))) {
      rel_parts.insert(w.AsStr());
    }
  }
  if (a[1] && a[1]->Truthy()) rel_parts.insert("nofollow");
  std::string rel;
  for (const auto& p : rel_parts) rel += (rel.empty() ? "" : " ") + p;
  o.rel_attr = ToU32(" rel=\"" + EscapeHtml(rel) + "\"");
  if (a[2] && a[2]->Truthy()) {
    o.target_attr = ToU32(" target=\"" + Escaped(*a[2]) + "\"");
  }
  if (a[4] && !a[4]->is_none()) {
    for (const auto& s : Iterate(*a[4])) {
      if (!s.is_str()) {
        Raise("TypeError", "expected string or bytes-like object, got '" +
                               s.TypeName() + "'");
      }
      U32 scheme = ToU32(s.AsStr());
      if (!ValidScheme(scheme)) {
        Raise("FilterArgumentError",
              s.Repr() + " is not a valid URI scheme prefix.");
      }
      o.extra_schemes.push_back(std::move(scheme));
    }
  }
  std::string out = FromU32(Urlize(ToU32(Escaped(in)), o));
  return ctx.autoescape() ? Value::Markup(out) : Value::Str(out);
}

// ---------------------------------------------------------------------
// random and lipsum: random output, of the shape Python's gives.

std::mt19937_64& Rng() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

// random.randrange(lo, hi): lo <= r < hi.
int64_t RandRange(int64_t lo, int64_t hi) {
  if (lo >= hi) {
    Raise("ValueError", "empty range for randrange() (" + std::to_string(lo) +
                            ", " + std::to_string(hi) + ", " +
                            std::to_string(hi - lo) + ")");
  }
  std::uniform_int_distribution<int64_t> d(lo, hi - 1);
  return d(Rng());
}

Value FilterRandom(CallContext& ctx, const Value& in, CallArgs& args) {
  BindArgs("random", args, {});
  if (in.is_strict_undefined(ctx.environment().options().strict_undefined)) {
    FailUndefined(in);
  }
  // random.choice: len(), then seq[i].
  int64_t n = Length(in);
  if (n == 0) {
    return Value::UndefinedWithHint("No random item, sequence was empty.");
  }
  int64_t i = RandRange(0, n);
  if (in.is_str()) {
    U32 u = ToU32(in.AsStr());
    std::string c = FromU32(u.substr(static_cast<size_t>(i), 1));
    return in.is_markup() ? Value::Markup(c) : Value::Str(c);
  }
  if (in.is_dict()) {
    auto v = in.DictGet(Value::Int(i));
    if (!v) Raise("KeyError", std::to_string(i));
    return *v;
  }
  return in.ListItems()[static_cast<size_t>(i)];
}

// Latin filler words in the style of the classic lorem ipsum passage.
const std::vector<std::string>& LoremWords() {
  static const auto* words = new std::vector<std::string>{
      "lorem",     "ipsum",     "dolor",      "sit",        "amet",
      "consectetur", "adipiscing", "elit",    "sed",        "do",
      "eiusmod",   "tempor",    "incididunt", "ut",         "labore",
      "et",        "dolore",    "magna",      "aliqua",     "enim",
      "ad",        "minim",     "veniam",     "quis",       "nostrud",
      "exercitation", "ullamco", "laboris",   "nisi",       "aliquip",
      "ex",        "ea",        "commodo",    "consequat",  "duis",
      "aute",      "irure",     "in",         "reprehenderit", "voluptate",
      "velit",     "esse",      "cillum",     "eu",         "fugiat",
      "nulla",     "pariatur",  "excepteur",  "sint",       "occaecat",
      "cupidatat", "non",       "proident",   "sunt",       "culpa",
      "qui",       "officia",   "deserunt",   "mollit",     "anim",
      "id",        "est",       "laborum",    "vitae",      "justo",
      "mauris",    "nunc",      "felis",      "porta",      "urna",
      "arcu",      "vel",       "nibh",       "ligula",     "massa",
      "morbi",     "risus",     "tellus",     "metus",      "lectus",
      "purus",     "augue",     "quam",       "sapien",     "turpis",
      "orci",      "nisl",      "erat",       "libero",     "neque",
      "odio",      "dui",       "eros",       "ante",       "diam",
      "tortor",    "lacus",     "magnis",     "pede",       "semper"};
  return *words;
}

int64_t IntArg(const std::optional<Value>& v, int64_t dflt) {
  if (!v) return dflt;
  if (!v->is_integral()) {
    Raise("TypeError", "'" + v->TypeName() +
                           "' object cannot be interpreted as an integer");
  }
  return v->AsInt();
}

// One paragraph as Jinja builds it: `count` words, no word twice in a
// row, a comma every few words, a full stop every 10-20 words, sentences
// capitalised, ending in '.'.
std::string LoremParagraph(int64_t count) {
  const auto& words = LoremWords();
  std::string p;
  std::string last;
  bool capital = true;
  int64_t last_comma = 0, last_stop = 0;
  for (int64_t idx = 0; idx < count; ++idx) {
    std::string word;
    do {
      word = words[static_cast<size_t>(
          RandRange(0, static_cast<int64_t>(words.size())))];
    } while (word == last);
    last = word;
    if (capital) {
      word[0] = static_cast<char>(word[0] - 'a' + 'A');
      capital = false;
    }
    if (idx - RandRange(3, 8) > last_comma) {
      last_comma = idx;
      last_stop += 2;
      word += ",";
    }
    if (idx - RandRange(10, 20) > last_stop) {
      last_comma = last_stop = idx;
      word += ".";
      capital = true;
    }
    if (idx) p += " ";
    p += word;
  }
  if (!p.empty() && p.back() == ',') {
    p.back() = '.';
  } else if (p.empty() || p.back() != '.') {
    p += ".";
  }
  return p;
}

Value Lipsum(CallContext&, CallArgs& args) {
  auto a = BindArgs("generate_lorem_ipsum", args, {"n", "html", "min", "max"});
  int64_t n = IntArg(a[0], 5);
  bool html = !a[1] || a[1]->Truthy();
  int64_t lo = IntArg(a[2], 20), hi = IntArg(a[3], 100);
  std::string out;
  for (int64_t i = 0; i < n; ++i) {
    std::string p = LoremParagraph(RandRange(lo, hi));
    if (html) {
      out += (i ? "\n<p>" : "<p>") + EscapeHtml(p) + "</p>";
    } else {
      out += (i ? "\n\n" : "") + p;
    }
  }
  return html ? Value::Markup(out) : Value::Str(out);
}

}  // namespace

void RegisterTextBuiltins(Environment& env) {
  env.AddFilter("urlize", FilterUrlize);
  env.AddFilter("random", FilterRandom);
  env.AddGlobal("lipsum", PyFunction("generate_lorem_ipsum", Lipsum,
                                      "<function generate_lorem_ipsum at "));
}

}  // namespace tmpl
