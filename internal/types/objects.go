package types

import (
	"strings"

	"sejit/internal/diag"
	"sejit/internal/pyast"
)

// Objects of plain Python classes (py.objects). The Python side describes
// an object argument by its class and the attributes the code may read
// (numbers, arrays and nested objects), plus the class's methods the code
// may call. Here an object is a record: a Tuple whose elements are the
// fields, with their names in Fields. Everything that passes tuples as
// leaves (parameters, calls, locals) passes objects the same way, so a
// method is an ordinary function whose first argument is the object.

// ObjectOf builds the type of an object of class cls.
func ObjectOf(cls string, fields []string, elems []*Type, methods map[string]string) *Type {
	return &Type{Kind: Tuple, Class: cls, Fields: fields, Elems: elems, Methods: methods}
}

// IsObject reports an object of a plain class.
func (t *Type) IsObject() bool { return t.Kind == Tuple && t.Class != "" }

// Field is the index of the field name, or -1.
func (t *Type) Field(name string) int {
	for i, f := range t.Fields {
		if f == name {
			return i
		}
	}
	return -1
}

func (t *Type) objectString(ident bool) string {
	parts := make([]string, len(t.Elems))
	for i, e := range t.Elems {
		parts[i] = t.Fields[i] + ": " + e.format(ident)
		if t.IsCell(i) {
			parts[i] = t.Fields[i] + ": cell " + e.format(ident)
		}
	}
	return t.Class + "(" + strings.Join(parts, ", ") + ")"
}

// containsObject reports an object anywhere in t.
func containsObject(t *Type) bool {
	if t.IsObject() {
		return true
	}
	for _, e := range t.Elems {
		if containsObject(e) {
			return true
		}
	}
	return false
}

// BoundMethod is the type of obj.method: a user function with the object
// as its first argument.
func (t *Type) BoundMethod() bool { return t.Kind == Function && t.Self }

// objectAttr types obj.name: a field, or a method bound to obj.
func (c *checker) objectAttr(e *pyast.Attribute, vt *Type) *Type {
	if !vt.IsObject() {
		c.errorf(e.P, diag.Unsupported, "attribute '%s' of a %s is not supported", e.Attr, vt)
		return UnknownT
	}
	if vt.Class == GeneratorClass {
		return c.generatorAttr(e) // calls_generator.go
	}
	if vt.Class == RandomStateClass {
		c.errorf(e.P, diag.Unsupported, "the state np.random.get_state() gives compiled code has no attribute '%s'", e.Attr).
			WithHint("pass it to np.random.set_state(); index the state in Python")
		return UnknownT
	}
	if vt.IsKwargs() && !c.kwSynth[e] {
		c.errorf(e.P, diag.Type, "'dict' object has no attribute '%s'", e.Attr).
			WithHint("read the keywords with kw.get(\"%s\", default), kw[\"%s\"] or \"%s\" in kw", e.Attr, e.Attr, e.Attr)
		return UnknownT
	}
	if vn, ok := c.attrVersion(e, vt); ok {
		// A binding of the attribute the object never sees before the
		// call returns: a local (resolve/versions.go, "Attributes").
		if t := c.info().Vars[vn]; t != nil {
			return t
		}
		return UnknownT
	}
	if i := vt.Field(e.Attr); i >= 0 {
		if vt.Elems[i].IsOut() {
			c.errorf(e.P, diag.Unsupported, "compiled code reads the attribute '%s', which the Python side took as only assigned", e.Attr).
				WithHint("give the object the attribute before the call")
			return UnknownT
		}
		return vt.Elems[i]
	}
	if id, ok := vt.Methods[e.Attr]; ok {
		return &Type{Kind: Function, Name: id, Elems: []*Type{vt}, Self: true}
	}
	c.errorf(e.P, diag.Unsupported, "'%s' object has no attribute '%s' that compiled code can read", shortClass(vt.Class), e.Attr).
		WithHint("sejit passes an object's attributes that hold numbers, NumPy arrays or objects of plain classes, " +
			"and calls its plain methods; properties, class methods and other values are not supported")
	return UnknownT
}

func shortClass(cls string) string {
	if i := strings.LastIndexByte(cls, ':'); i >= 0 {
		return cls[i+1:]
	}
	return cls
}

// objectMisuse reports uses of an object that sejit does not compile
// (returning one, indexing one, len of one); false when t is not an object.
func (c *checker) objectMisuse(p pyast.Pos, t *Type, what string) bool {
	if !containsObject(t) {
		return false
	}
	switch t.Class {
	case RandomStateClass:
		c.errorf(p, diag.Unsupported, "%s the state np.random.get_state() gives compiled code is not supported", what).
			WithHint("it only goes back to np.random.set_state() in compiled code; take states in Python with get_state() there")
	case KwargsClass:
		c.errorf(p, diag.Unsupported, "%s a **kwargs dict is not supported", what).
			WithHint("read its keywords with kw.get(\"name\", default), or pass them on with f(**kw)")
	default:
		c.errorf(p, diag.Unsupported, "%s an object of a plain class is not supported", what).
			WithHint("read its attributes instead (obj.x, obj.data[i])")
	}
	return true
}

// OutClass is the class of the record an attribute that compiled code
// assigns but never reads travels in (sejit/_objects.py): four cells, tag,
// i, f and c. The kernel stores the value's type in tag (OutTag) and the
// value in i (bools and integers, as int64), f (floats, as float64) or c
// (complexes); Python sets the attribute to that value of that type after
// the call, and leaves it alone when tag is still 0. Such an attribute can
// take a value of any numeric type, as in CPython.
const OutClass = "sejit:assigned"

// outDTypes orders the value types of an OutClass record's tag (the Python
// side's OUT_DTYPES).
var outDTypes = []DType{Bool, Int8, Int16, Int32, Int64, Uint8, Uint16, Uint32, Uint64, Float32, Float64,
	Complex64, Complex128}

// OutTag is the tag an OutClass record holds after a store of a value of
// type t: 1 + 2*(t's dtype's index) + (1 if t is a Python number).
func OutTag(t *Type) int64 {
	for i, d := range outDTypes {
		if d == t.DType {
			tag := int64(1 + 2*i)
			if t.Weak {
				tag++
			}
			return tag
		}
	}
	return 0
}

// IsOut reports the record of an attribute compiled code only assigns.
func (t *Type) IsOut() bool { return t.Kind == Tuple && t.Class == OutClass }

// IsCell reports that field i of an object is assigned by the code: it
// travels in a 0-d array (a cell) that compiled code writes.
func (t *Type) IsCell(i int) bool { return i < len(t.Cells) && t.Cells[i] }

// attrStore types `obj.name = value` (or an augmented assignment with
// result type value): the field must be a cell, and the value of the
// field's own type, since CPython's attribute would take the value's type.
func (c *checker) attrStore(e *pyast.Attribute, value *Type) {
	vt := c.expr(e.Value)
	if vt.IsUnknown() || value.IsUnknown() {
		return
	}
	if !vt.IsObject() {
		c.errorf(e.P, diag.Unsupported, "assigning attribute '%s' of a %s is not supported", e.Attr, vt)
		return
	}
	if vn, ok := c.attrVersion(e, vt); ok {
		if value.Kind != Scalar || OutTag(value) == 0 {
			c.errorf(e.P, diag.Unsupported, "assigning a %s to the attribute '%s' is not supported; numbers only", value, e.Attr)
			return
		}
		c.assignVar(vn, value, e.P)
		return
	}
	i := vt.Field(e.Attr)
	switch {
	case i < 0:
		c.errorf(e.P, diag.Unsupported, "'%s' object has no numeric attribute '%s' that compiled code can assign", shortClass(vt.Class), e.Attr).
			WithHint("give the object the attribute (a number) before the call")
		return
	case vt.Elems[i].IsOut():
		// Assigned and never read: any number, its type travelling with it.
		if value.Kind != Scalar || OutTag(value) == 0 {
			c.errorf(e.P, diag.Unsupported, "assigning a %s to the attribute '%s' is not supported; numbers only", value, e.Attr)
		}
		return
	case !vt.IsCell(i):
		c.errorf(e.P, diag.Unsupported, "assigning the %s attribute '%s' is not supported", vt.Elems[i], e.Attr).
			WithHint("write into the array instead: obj.%s[...] = ...", e.Attr)
		return
	}
	if ft := vt.Elems[i]; !Equal(ft, value) {
		c.errorf(e.P, diag.Type, "cannot assign %s to the attribute '%s' of type %s: CPython's attribute would change type", value, e.Attr, ft).
			WithHint("convert the value to the attribute's type, as in %s(...); an attribute that compiled code "+
				"reads keeps its type, one it only assigns may take any numeric type", pyName(ft))
	}
}

// OutSuffix names the record (an OutClass field) that Python passes with
// a numeric attribute compiled code both reads and assigns: a store that
// gives the attribute a value of another type (a version of it,
// resolve/versions.go) writes the value and its type there, and Python
// sets the attribute from it after the call.
const OutSuffix = "@out"

// attrVersion reports the local variable that obj.name stands for at e
// (resolve.Func.AttrVersions), for a number's attribute whose object
// carries the record that takes its last value.
//
// Another argument holding objects might hold this very one (f(a, a), or
// a.child passed with a): its attribute is then the object's everywhere,
// as resolve assumed nothing else sees it.
//
// Only the function called from Python has versions: a helper's or a
// method's caller goes on reading the attribute from the object, which
// sees the last value only when the call returns.
func (c *checker) attrVersion(e *pyast.Attribute, vt *Type) (string, bool) {
	return AttrVersion(c.spec, e, vt)
}

// AttrVersion is attrVersion for lowering.
func AttrVersion(spec *Spec, e *pyast.Attribute, vt *Type) (string, bool) {
	f, args := spec.Func, spec.Args
	vn, ok := f.AttrVersions[e]
	if !ok || spec.Index != 0 {
		return "", false
	}
	i, o := vt.Field(e.Attr), vt.Field(e.Attr+OutSuffix)
	if i < 0 || !vt.IsCell(i) || o < 0 || !vt.Elems[o].IsOut() {
		return "", false
	}
	base := e.Value.(*pyast.Name).ID
	for j, p := range f.Params {
		if p != base && j < len(args) && containsObject(args[j]) {
			return "", false
		}
	}
	return vn, true
}

// pyName is the constructor that converts to t, for hints.
func pyName(t *Type) string {
	if t.Weak {
		switch t.DType {
		case Bool:
			return "bool"
		case Int64:
			return "int"
		case Float64:
			return "float"
		case Complex128:
			return "complex"
		}
	}
	return "np." + t.DType.String()
}
