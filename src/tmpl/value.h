// Python-like values for the template engine.
#ifndef KB_TMPL_VALUE_H_
#define KB_TMPL_VALUE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tmpl {

class Value;
class CallContext;

struct CallArgs;

/// A callable global: receives the active render context and the arguments.
using NativeFunction = std::function<Value(CallContext&, CallArgs&)>;

/// A filter: the piped value comes first, then the call's own arguments.
using NativeFilter =
    std::function<Value(CallContext&, const Value& input, CallArgs&)>;

/// The kinds a Value can hold. kObject covers engine objects such as macros,
/// loops, namespaces, template modules and bound methods.
enum class Kind {
  kNone,
  kUndefined,
  kBool,
  kInt,
  kFloat,
  kStr,
  kList,
  kTuple,
  kDict,
  kObject,
};

/// Base of every heap-held payload (strings, lists, dicts, objects).
class Object {
 public:
  virtual ~Object() = default;
  /// Python's type name ("str", "list", "Macro", ...).
  virtual std::string TypeName() const { return "object"; }
  /// Attribute lookup for engine objects; nullopt when there is none.
  virtual std::optional<Value> GetAttr(std::string_view name);
  /// True for objects that can be called.
  virtual bool IsCallable() const { return false; }
  /// Calls the object. REQUIRES: IsCallable().
  virtual Value Call(CallContext& ctx, CallArgs& args);
  /// Python str() and repr() of the object.
  virtual std::string Str();
  virtual std::string Repr();
  /// Python truthiness.
  virtual bool Truthy() { return true; }
  /// For iterable objects (generators): the remaining items, consuming
  /// them as Python iteration does; nullopt when not iterable.
  virtual std::optional<std::vector<Value>> Iter();
};

struct DictData;

/// A Python value. Copying a Value copies a handle: lists, dicts and
/// namespaces are shared (Python reference semantics), so a filter that
/// appends to a list it was given changes every name bound to it.
class Value {
 public:
  Value() = default;  // None
  static Value None() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Float(double d);
  static Value Str(std::string utf8);
  /// A string marked safe for autoescaping (Jinja's Markup).
  static Value Markup(std::string utf8);
  static Value NewList(std::vector<Value> items = {});
  static Value NewTuple(std::vector<Value> items);
  static Value NewDict();  // insertion-ordered
  /// A list that prints as Python's range(start, stop[, step]).
  /// REQUIRES: start, stop and step are ints (of any size).
  static Value NewRange(std::vector<Value> items, Value start, Value stop,
                        Value step);
  /// A live view of `dict` (Python's d.keys(), d.values(), d.items()):
  /// a list that re-reads the dict whenever its items are used, so it
  /// shows later changes, and prints as dict_keys([...]), dict_values or
  /// dict_items. `view_name` is one of those three. REQUIRES: is_dict().
  static Value NewDictView(const Value& dict, std::string view_name);
  /// What a missing name gives; prints as empty, fails when used.
  static Value Undefined(std::string name);
  /// An undefined value with the exact Jinja message `hint` raised as
  /// `error_class` when it is used.
  static Value UndefinedWithHint(std::string hint,
                                 std::string error_class = "UndefinedError");
  /// An undefined value that stays lenient under StrictUndefined (Jinja
  /// uses the plain Undefined for the implicit else of `a if b`).
  static Value LenientUndefined(std::string hint);
  /// True when this undefined value fails on use in strict mode.
  bool is_strict_undefined(bool strict_mode) const;
  /// A callable global: fn receives the active render context and the args.
  static Value Function(std::string name, NativeFunction fn);
  static Value FromObject(std::shared_ptr<Object> obj);

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::kNone; }
  bool is_undefined() const { return kind_ == Kind::kUndefined; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  /// True for ints of any size.
  bool is_int() const { return kind_ == Kind::kInt; }
  /// True for an int that does not fit in int64 (held on the heap; see
  /// tmpl/bigint.h for its arithmetic).
  bool is_big_int() const { return kind_ == Kind::kInt && obj_ != nullptr; }
  bool is_float() const { return kind_ == Kind::kFloat; }
  bool is_str() const { return kind_ == Kind::kStr; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_tuple() const { return kind_ == Kind::kTuple; }
  bool is_dict() const { return kind_ == Kind::kDict; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_callable() const;
  /// True for int and bool (bool is a subclass of int in Python).
  bool is_integral() const { return is_int() || is_bool(); }
  /// True for int, bool and float.
  bool is_number() const { return is_integral() || is_float(); }
  bool is_markup() const;

  bool AsBool() const { return b_; }
  /// The integer value of an int or bool. A big int gives INT64_MAX or
  /// INT64_MIN by its sign; code that needs its value uses tmpl/bigint.h.
  int64_t AsInt() const { return is_bool() ? (b_ ? 1 : 0) : i_; }
  /// The numeric value of an int, bool or float as a double (Python's
  /// float(): OverflowError for an int too large for a double).
  double AsFloat() const;
  const std::string& AsStr() const;        // REQUIRES: is_str()
  std::vector<Value>& ListItems() const;   // REQUIRES: list or tuple
  Object* AsObject() const { return obj_.get(); }
  std::shared_ptr<Object> object_ptr() const { return obj_; }

  // Dict access (REQUIRES: is_dict()); keys are Values (str, int, ...).
  void DictSet(const Value& key, Value v) const;
  void DictSet(std::string_view key, Value v) const;
  std::optional<Value> DictGet(const Value& key) const;
  std::optional<Value> DictGet(std::string_view key) const;
  bool DictErase(const Value& key) const;
  size_t DictSize() const;
  std::vector<std::pair<Value, Value>> DictItems() const;

  /// The message an undefined value raises when it is used.
  std::string UndefinedMessage() const;  // REQUIRES: is_undefined()
  std::string UndefinedClass() const;    // REQUIRES: is_undefined()

  bool Truthy() const;        // Python truthiness; Undefined is false
  std::string ToStr() const;  // Python str()
  std::string Repr() const;   // Python repr()
  /// Python's type name: "str", "int", "NoneType", "dict", ...
  std::string TypeName() const;

  /// Python ==, with 1 == 1.0 == True.
  bool Equals(const Value& other) const;
  /// Python hash-compatible hash (equal values hash equally).
  size_t Hash() const;

 private:
  friend struct BigIntAccess;  // builds big ints (bigint.cc)
  Kind kind_ = Kind::kNone;
  union {
    bool b_;
    int64_t i_ = 0;
    double f_;
  };
  std::shared_ptr<Object> obj_;
};

/// Positional and keyword arguments of one call, as the template wrote them.
struct CallArgs {
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> kwargs;  // in call order
};

/// Python's repr() of a float: shortest round-trip digits.
std::string FloatRepr(double d);

/// Python repr() of a str (quotes chosen as Python does).
std::string StrRepr(std::string_view s);

}  // namespace tmpl

#endif  // KB_TMPL_VALUE_H_
