#include "config/argv.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace kb::config {
namespace {

const char kConfigFileHelp[] =
    "Path to a config file to use. Multiple config files can be specified, "
    "with values in later files taking precedence. Defaults to None. This "
    "option must be set from the command-line.";
const char kConfigDirHelp[] =
    "Path to a config directory to pull `*.conf` files from. This file set "
    "is sorted, so as to provide a predictable parse order if individual "
    "options are over-ridden. The set is parsed after the file(s) specified "
    "via previous --config-file, arguments hence over-ridden options in the "
    "directory take precedence. This option must be set from the "
    "command-line.";

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(c));
  return s;
}

// StrOpt appends its choices to the help, as oslo's _get_argparse_kwargs
// does ("\n Allowed values: a, b\n"); argparse later folds the spaces.
std::string OptHelp(const OptSpec& o) {
  std::string help = o.help;
  if (o.type.kind == OptKind::kString && !o.type.choices.empty()) {
    help += "\n Allowed values: ";
    for (size_t i = 0; i < o.type.choices.size(); ++i) {
      if (i) help += ", ";
      help += o.type.choices[i].empty() ? "''" : o.type.choices[i];
    }
    help += "\n";
  }
  return help;
}

struct Classified {
  bool is_option = false;
  const CliArgument* arg = nullptr;  // null for an unknown option
  std::string option_string;
  std::optional<std::string> explicit_arg;
};

class Parser {
 public:
  Parser(const std::vector<CliArgument>& arguments,
         const std::vector<std::string>& args)
      : args_(args) {
    for (const auto& a : arguments) {
      for (const auto& s : a.option_strings) strings_.push_back({s, &a});
    }
  }

  CliParse Run();

 private:
  const CliArgument* Exact(std::string_view s) const {
    for (const auto& [str, arg] : strings_) {
      if (str == s) return arg;
    }
    return nullptr;
  }
  bool Classify(const std::string& arg, Classified* out);
  size_t ConsumeOptional(size_t index);
  size_t ConsumePositionals(size_t index);
  bool Fail(std::string message) {
    if (result_.error.empty()) result_.error = std::move(message);
    return false;
  }

  const std::vector<std::string>& args_;
  std::vector<std::pair<std::string, const CliArgument*>> strings_;
  std::vector<Classified> classified_;
  std::vector<std::string> extras_;
  bool positionals_done_ = false;
  bool stop_ = false;
  CliParse result_;
};

bool Parser::Classify(const std::string& arg, Classified* out) {
  out->is_option = false;
  if (arg.empty() || arg[0] != '-') return true;
  if (const CliArgument* a = Exact(arg)) {
    *out = Classified{true, a, arg, std::nullopt};
    return true;
  }
  if (arg.size() == 1) return true;
  size_t eq = arg.find('=');
  if (eq != std::string::npos) {
    if (const CliArgument* a = Exact(arg.substr(0, eq))) {
      *out = Classified{true, a, arg.substr(0, eq), arg.substr(eq + 1)};
      return true;
    }
  }

  // PARITY(argparse): unique prefixes of long options; for "-Xrest" the
  // short option -X with "rest" as its explicit argument.
  std::vector<Classified> tuples;
  if (arg.size() >= 2 && arg[1] == '-') {
    std::string prefix = eq == std::string::npos ? arg : arg.substr(0, eq);
    std::optional<std::string> explicit_arg;
    if (eq != std::string::npos) explicit_arg = arg.substr(eq + 1);
    for (const auto& [s, a] : strings_) {
      if (s.rfind(prefix, 0) == 0) {
        tuples.push_back({true, a, s, explicit_arg});
      }
    }
  } else {
    std::string short_prefix = arg.substr(0, 2);
    std::string short_explicit = arg.substr(2);
    for (const auto& [s, a] : strings_) {
      if (s == short_prefix) {
        tuples.push_back({true, a, s, short_explicit});
      } else if (s.rfind(arg, 0) == 0) {
        tuples.push_back({true, a, s, std::nullopt});
      }
    }
  }
  if (tuples.size() > 1) {
    std::string matches;
    for (const auto& t : tuples) {
      if (!matches.empty()) matches += ", ";
      matches += t.option_string;
    }
    return Fail("ambiguous option: " + arg + " could match " + matches);
  }
  if (tuples.size() == 1) {
    *out = tuples[0];
    return true;
  }
  // Negative numbers and strings with spaces are positionals.
  bool negative_number = arg.size() > 1;
  bool seen_dot = false;
  for (size_t i = 1; i < arg.size(); ++i) {
    if (arg[i] == '.' && !seen_dot) {
      seen_dot = true;
    } else if (!std::isdigit(static_cast<unsigned char>(arg[i]))) {
      negative_number = false;
    }
  }
  if (negative_number && arg.back() != '.') return true;
  if (arg.find(' ') != std::string::npos) return true;
  *out = Classified{true, nullptr, arg, std::nullopt};
  return true;
}

size_t Parser::ConsumeOptional(size_t index) {
  Classified c = classified_[index];
  if (c.arg == nullptr) {
    extras_.push_back(args_[index]);
    return index + 1;
  }
  const CliArgument* arg = c.arg;
  std::string option_string = c.option_string;
  std::optional<std::string> explicit_arg = c.explicit_arg;
  while (true) {
    if (explicit_arg) {
      if (!arg->takes_value()) {
        // "-dq": -d takes nothing, so "q" is the next short flag.
        if (option_string.size() == 2 && option_string[0] == '-' &&
            option_string[1] != '-' && !explicit_arg->empty()) {
          result_.events.push_back(CliEvent{arg, "", {}});
          if (arg->action == FlagAction::kHelp ||
              arg->action == FlagAction::kVersion) {
            stop_ = true;
            return index + 1;
          }
          std::string next = std::string("-") + (*explicit_arg)[0];
          std::string rest = explicit_arg->substr(1);
          if (const CliArgument* a = Exact(next)) {
            arg = a;
            option_string = next;
            explicit_arg =
                rest.empty() ? std::nullopt : std::optional<std::string>(rest);
            continue;
          }
        }
        Fail("argument " + arg->DisplayName() +
             ": ignored explicit argument '" + *explicit_arg + "'");
        return args_.size();
      }
      result_.events.push_back(CliEvent{arg, *explicit_arg, {}});
      return index + 1;
    }
    if (!arg->takes_value()) {
      result_.events.push_back(CliEvent{arg, "", {}});
      if (arg->action == FlagAction::kHelp ||
          arg->action == FlagAction::kVersion) {
        stop_ = true;
      }
      return index + 1;
    }
    if (index + 1 >= args_.size() || classified_[index + 1].is_option ||
        args_[index + 1] == "--") {
      Fail("argument " + arg->DisplayName() + ": expected one argument");
      return args_.size();
    }
    result_.events.push_back(CliEvent{arg, args_[index + 1], {}});
    return index + 2;
  }
}

size_t Parser::ConsumePositionals(size_t index) {
  if (positionals_done_) return index;
  positionals_done_ = true;
  CliEvent ev;
  bool removed_dashes = false;
  while (index < args_.size() && !classified_[index].is_option) {
    // PARITY(argparse): the first "--" is dropped from the values.
    if (args_[index] == "--" && !removed_dashes) {
      removed_dashes = true;
    } else {
      ev.positionals.push_back(args_[index]);
    }
    ++index;
  }
  result_.events.push_back(std::move(ev));
  return index;
}

CliParse Parser::Run() {
  classified_.resize(args_.size());
  bool after_dashes = false;
  for (size_t i = 0; i < args_.size(); ++i) {
    if (after_dashes) continue;
    if (args_[i] == "--") {
      after_dashes = true;
      continue;
    }
    if (!Classify(args_[i], &classified_[i])) return result_;
  }

  size_t index = 0;
  while (index < args_.size() && !stop_ && result_.error.empty()) {
    if (!classified_[index].is_option) {
      size_t end = ConsumePositionals(index);
      if (end == index) {
        // The positional already took its run: the rest are extras.
        while (index < args_.size() && !classified_[index].is_option) {
          extras_.push_back(args_[index++]);
        }
      } else {
        index = end;
      }
      continue;
    }
    index = ConsumeOptional(index);
  }
  if (!stop_ && result_.error.empty()) {
    if (!positionals_done_) ConsumePositionals(args_.size());
    if (!extras_.empty()) {
      std::string joined;
      for (const auto& e : extras_) {
        if (!joined.empty()) joined += ' ';
        joined += e;
      }
      Fail("unrecognized arguments: " + joined);
    }
  }
  return result_;
}

// ---- Help formatting: argparse's HelpFormatter and textwrap.wrap ----

bool IsLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)); }

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// textwrap's `wp` class: word characters and the punctuation that may end
// a word before an em-dash.
bool IsWordPunct(char c) {
  return IsWordChar(c) ||
         std::string_view("!\"'&.,?").find(c) != std::string_view::npos;
}

// textwrap's word chunks: whitespace runs, and words that may break after
// a hyphen between letters ("base-" "arch").
std::vector<std::string> Chunks(const std::string& text) {
  std::vector<std::string> chunks;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      size_t j = i;
      while (j < text.size() && text[j] == ' ') ++j;
      chunks.push_back(text.substr(i, j - i));
      i = j;
      continue;
    }
    // An em-dash ("--" between a word and a letter) is a chunk of its own.
    auto dashes_end = [&](size_t at) -> size_t {
      if (at == 0 || !IsWordPunct(text[at - 1])) return 0;
      size_t k = at;
      while (k < text.size() && text[k] == '-') ++k;
      if (k - at < 2 || k >= text.size() || !IsWordChar(text[k])) return 0;
      return k;
    };
    if (size_t k = dashes_end(i)) {
      chunks.push_back(text.substr(i, k - i));
      i = k;
      continue;
    }
    size_t j = i;
    while (j < text.size() && text[j] != ' ') {
      if (j > i && dashes_end(j)) break;
      if (text[j] == '-' && j > i) {
        bool two_letters_before =
            j >= i + 2 && IsLetter(text[j - 1]) && IsLetter(text[j - 2]);
        bool letter_hyphen_letter = j >= i + 3 && IsLetter(text[j - 1]) &&
                                    text[j - 2] == '-' && IsLetter(text[j - 3]);
        bool letter_after = j + 1 < text.size() && IsLetter(text[j + 1]) &&
                            ((j + 2 < text.size() && IsLetter(text[j + 2])) ||
                             (j + 3 < text.size() && text[j + 2] == '-' &&
                              IsLetter(text[j + 3])));
        if ((two_letters_before || letter_hyphen_letter) && letter_after) {
          ++j;
          break;
        }
      }
      ++j;
    }
    chunks.push_back(text.substr(i, j - i));
    i = j;
  }
  return chunks;
}

std::vector<std::string> Wrap(const std::string& raw, size_t width) {
  // argparse folds every whitespace run into one space first.
  std::string text;
  for (char c : raw) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!text.empty() && text.back() != ' ') text += ' ';
    } else {
      text += c;
    }
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();

  std::vector<std::string> chunks = Chunks(text);
  std::reverse(chunks.begin(), chunks.end());
  std::vector<std::string> lines;
  while (!chunks.empty()) {
    std::vector<std::string> cur;
    size_t len = 0;
    if (chunks.back()[0] == ' ' && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      size_t l = chunks.back().size();
      if (len + l <= width) {
        cur.push_back(chunks.back());
        chunks.pop_back();
        len += l;
      } else {
        break;
      }
    }
    // A word longer than a line is cut (break_long_words).
    if (!chunks.empty() && chunks.back().size() > width) {
      size_t space_left = width > len ? width - len : 1;
      if (width < 1) space_left = 1;
      cur.push_back(chunks.back().substr(0, space_left));
      chunks.back() = chunks.back().substr(space_left);
      len += space_left;
    }
    if (!cur.empty() && cur.back()[0] == ' ') {
      len -= cur.back().size();
      cur.pop_back();
    }
    if (!cur.empty()) {
      std::string line;
      for (const auto& c : cur) line += c;
      lines.push_back(line);
    }
  }
  return lines;
}

std::string Invocation(const CliArgument& a) {
  std::string out;
  for (size_t i = 0; i < a.option_strings.size(); ++i) {
    if (i) out += ", ";
    out += a.option_strings[i];
    if (a.takes_value()) out += " " + a.metavar;
  }
  return out;
}

struct Layout {
  size_t width;
  size_t help_position;
};

Layout ComputeLayout(const std::vector<CliArgument>& arguments,
                     const OptSpec* positional, int columns) {
  size_t width = columns > 2 ? static_cast<size_t>(columns) - 2 : 1;
  size_t max_help_position =
      std::min<size_t>(24, std::max<size_t>(width >= 20 ? width - 20 : 0, 4));
  size_t max_len = 0;
  for (const auto& a : arguments) {
    max_len = std::max(max_len, Invocation(a).size() + 2);
  }
  if (positional) max_len = std::max(max_len, positional->name.size() + 2);
  return Layout{width, std::min(max_len + 2, max_help_position)};
}

std::string FormatItem(const std::string& header, const std::string& help,
                       const Layout& layout) {
  size_t help_width = std::max<size_t>(layout.width > layout.help_position
                                           ? layout.width - layout.help_position
                                           : 0,
                                       11);
  size_t action_width = layout.help_position - 4;
  std::string out = "  ";
  std::vector<std::string> lines = Wrap(help, help_width);
  if (lines.empty()) return out + header + "\n";
  size_t indent_first;
  if (header.size() <= action_width) {
    out += header + std::string(action_width - header.size(), ' ') + "  ";
    indent_first = 0;
  } else {
    out += header + "\n";
    indent_first = layout.help_position;
  }
  out += std::string(indent_first, ' ') + lines[0] + "\n";
  for (size_t i = 1; i < lines.size(); ++i) {
    out += std::string(layout.help_position, ' ') + lines[i] + "\n";
  }
  return out;
}

}  // namespace

std::string CliArgument::DisplayName() const {
  std::string out;
  for (const auto& s : option_strings) {
    if (!out.empty()) out += '/';
    out += s;
  }
  return out;
}

std::vector<CliArgument> BuildCliArguments(const std::vector<OptSpec>& opts) {
  std::vector<CliArgument> sorted;
  sorted.push_back(CliArgument{{"--config-dir"},
                               nullptr,
                               FlagAction::kConfigDir,
                               "DIR",
                               kConfigDirHelp});
  sorted.push_back(CliArgument{{"--config-file"},
                               nullptr,
                               FlagAction::kConfigFile,
                               "PATH",
                               kConfigFileHelp});
  sorted.push_back(CliArgument{{"--version"},
                               nullptr,
                               FlagAction::kVersion,
                               "",
                               "show program's version number and exit"});
  for (const auto& o : opts) {
    if (!o.cli || o.positional) continue;
    CliArgument a;
    a.option_strings.push_back("--" + o.name);
    if (o.short_flag)
      a.option_strings.push_back(std::string("-") + o.short_flag);
    a.opt = &o;
    a.metavar = Upper(o.dest());
    a.help = OptHelp(o);
    if (o.type.kind == OptKind::kBool) {
      a.action = FlagAction::kStoreTrue;
      sorted.push_back(a);
      CliArgument inverse;
      inverse.option_strings.push_back("--no" + o.name);
      inverse.opt = &o;
      inverse.action = FlagAction::kStoreFalse;
      inverse.help = "The inverse of --" + o.name;
      sorted.push_back(inverse);
      continue;
    }
    a.action = o.type.kind == OptKind::kMulti ? FlagAction::kAppend
                                              : FlagAction::kStore;
    sorted.push_back(a);
  }
  // PARITY(oslo): _CachedArgumentParser sorts by the option strings tuple.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const CliArgument& a, const CliArgument& b) {
                     return a.option_strings < b.option_strings;
                   });
  std::vector<CliArgument> out;
  out.push_back(CliArgument{{"-h", "--help"},
                            nullptr,
                            FlagAction::kHelp,
                            "",
                            "show this help message and exit"});
  for (auto& a : sorted) out.push_back(std::move(a));
  return out;
}

CliParse ParseCommandLine(const std::vector<CliArgument>& arguments,
                          const std::vector<std::string>& args) {
  Parser parser(arguments, args);
  return parser.Run();
}

std::string FormatUsage(const std::vector<CliArgument>& arguments,
                        const OptSpec* positional, int columns) {
  size_t width = columns > 2 ? static_cast<size_t>(columns) - 2 : 1;
  const std::string prefix = "usage: ";
  const std::string prog = "kolla-build";
  std::vector<std::string> opt_parts, pos_parts;
  for (const auto& a : arguments) {
    std::string part = a.option_strings[0];
    if (a.takes_value()) part += " " + a.metavar;
    opt_parts.push_back("[" + part + "]");
  }
  if (positional) pos_parts.push_back("[" + positional->name + " ...]");

  std::string one_line = prog;
  for (const auto& p : opt_parts) one_line += " " + p;
  for (const auto& p : pos_parts) one_line += " " + p;
  if (prefix.size() + one_line.size() <= width) {
    return prefix + one_line + "\n";
  }

  auto get_lines = [&](const std::vector<std::string>& parts,
                       const std::string& indent, bool with_prefix) {
    std::vector<std::string> lines;
    std::vector<std::string> line;
    size_t line_len = with_prefix ? prefix.size() - 1 : indent.size() - 1;
    auto flush = [&]() {
      std::string s = indent;
      for (size_t i = 0; i < line.size(); ++i) s += (i ? " " : "") + line[i];
      lines.push_back(s);
      line.clear();
    };
    for (const auto& part : parts) {
      if (line_len + 1 + part.size() > width && !line.empty()) {
        flush();
        line_len = indent.size() - 1;
      }
      line.push_back(part);
      line_len += part.size() + 1;
    }
    if (!line.empty()) flush();
    if (with_prefix && !lines.empty())
      lines[0] = lines[0].substr(indent.size());
    return lines;
  };
  std::vector<std::string> lines;
  if (prefix.size() + prog.size() <= 0.75 * width) {
    std::string indent(prefix.size() + prog.size() + 1, ' ');
    std::vector<std::string> parts{prog};
    parts.insert(parts.end(), opt_parts.begin(), opt_parts.end());
    lines = get_lines(parts, indent, true);
    for (auto& l : get_lines(pos_parts, indent, false)) lines.push_back(l);
  } else {
    // A long prog goes on its own line.
    std::string indent(prefix.size(), ' ');
    std::vector<std::string> parts = opt_parts;
    parts.insert(parts.end(), pos_parts.begin(), pos_parts.end());
    lines = get_lines(parts, indent, false);
    if (lines.size() > 1) {
      lines = get_lines(opt_parts, indent, false);
      for (auto& l : get_lines(pos_parts, indent, false)) lines.push_back(l);
    }
    lines.insert(lines.begin(), prog);
  }
  std::string out = prefix;
  for (size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
  return out + "\n";
}

std::string FormatHelp(const std::vector<CliArgument>& arguments,
                       const OptSpec* positional, int columns) {
  Layout layout = ComputeLayout(arguments, positional, columns);
  std::string out = FormatUsage(arguments, positional, columns) + "\n";
  if (positional) {
    out += "positional arguments:\n";
    out += FormatItem(positional->name, positional->help, layout);
    out += "\n";
  }
  out += "options:\n";
  for (const auto& a : arguments) {
    out += FormatItem(Invocation(a), a.help, layout);
  }
  return out;
}

}  // namespace kb::config
