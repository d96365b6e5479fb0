// Python semantics of operators, attribute/item lookup, iteration and
// calls, shared by the evaluator and the builtin filters.
#ifndef KB_TMPL_OPS_H_
#define KB_TMPL_OPS_H_

#include <string>
#include <string_view>
#include <vector>

#include "tmpl/value.h"

namespace tmpl {

class CallContext;

/// Raises the error an undefined value raises when used.
[[noreturn]] void FailUndefined(const Value& v);

/// Binary arithmetic: op is one of + - * / // % **.
Value BinaryOp(const std::string& op, const Value& a, const Value& b);
/// Python comparison: op is one of == != < <= > >=.
bool CompareOp(const std::string& op, const Value& a, const Value& b);
/// Python `needle in haystack`.
bool Contains(const Value& haystack, const Value& needle);
/// Python ordering (a < b), raising TypeError for unorderable types.
bool LessThan(const Value& a, const Value& b);
/// Python iteration: list/tuple items, dict keys, string characters.
/// Undefined iterates as empty; other values raise TypeError.
std::vector<Value> Iterate(const Value& v);
/// Python len().
int64_t Length(const Value& v);
/// Jinja's sandboxed getattr: attribute first, then item.
Value GetAttr(const Value& obj, const std::string& name);
/// Jinja's sandboxed getitem: item first, then attribute.
Value GetItem(const Value& obj, const Value& key);
/// Python slicing obj[start:stop:step] (Values may be None).
Value Slice(const Value& obj, const Value& start, const Value& stop,
            const Value& step);
/// Calls a callable value.
Value CallValue(CallContext& ctx, const Value& fn, CallArgs& args);
/// Jinja's object_type_repr ("dict object", "None", ...).
std::string ObjectTypeRepr(const Value& v);
/// HTML escaping as markupsafe.escape.
std::string EscapeHtml(std::string_view s);
/// str() of a value, or its escaped text when `autoescape` and not markup.
std::string ToOutput(const Value& v, bool autoescape);
/// Python str % args formatting.
Value PercentFormat(const std::string& fmt, const Value& args);
/// Python str.format(*args, **kwargs). With `escape`, Markup.format:
/// each replacement field is escaped unless it is Markup.
std::string StrFormat(const std::string& fmt, const CallArgs& args,
                      bool escape = false);
/// Python int/float/str conversion helpers used by filters.
std::u32string ToU32(std::string_view s);
std::string FromU32(std::u32string_view s);
/// A method of a str, list, dict or number bound to `self`; nullopt if none.
std::optional<Value> BuiltinMethod(const Value& self, const std::string& name);

}  // namespace tmpl

#endif  // KB_TMPL_OPS_H_
