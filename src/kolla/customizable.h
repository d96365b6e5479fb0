// kolla's `customizable` template filter.
#ifndef KB_KOLLA_CUSTOMIZABLE_H_
#define KB_KOLLA_CUSTOMIZABLE_H_

#include "tmpl/value.h"

namespace kb::kolla {

/// The filter `val_list | customizable(call_type)` (upstream
/// kolla/template/filters.py). With NAME = image_name with '-' replaced by
/// '_' + '_' + call_type + '_': returns NAME+'override' when the context
/// defines it; otherwise extends `val_list` in place with NAME+'append' and
/// removes from it each item of NAME+'remove' that it holds, and returns
/// it. Undefined input is returned unchanged. Errors are raised through
/// tmpl::Raise with Python's classes and wording (a str input with an
/// append list set: "AttributeError: 'str' object has no attribute
/// 'extend'").
tmpl::Value Customizable(tmpl::CallContext& ctx, const tmpl::Value& input,
                         tmpl::CallArgs& args);

}  // namespace kb::kolla

#endif  // KB_KOLLA_CUSTOMIZABLE_H_
