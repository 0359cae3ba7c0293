package pyast

import (
	"math/big"
	"reflect"
)

// CloneStmts is a deep copy of body (new nodes, the same positions), for
// passes that duplicate code, such as unrolling a loop over a constant
// string's characters.
func CloneStmts(body []Stmt) []Stmt {
	return clone(reflect.ValueOf(body)).Interface().([]Stmt)
}

var bigIntType = reflect.TypeOf((*big.Int)(nil))

func clone(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() || v.Type() == bigIntType {
			return v // big.Ints are never changed in place
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(v.Elem()) // unexported fields (base) by the shallow copy
		if n.Elem().Kind() == reflect.Struct {
			t := n.Elem().Type()
			for i := 0; i < t.NumField(); i++ {
				if t.Field(i).IsExported() {
					n.Elem().Field(i).Set(clone(n.Elem().Field(i)))
				}
			}
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		c := clone(v.Elem())
		n := reflect.New(v.Type()).Elem()
		n.Set(c)
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(clone(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(it.Key(), clone(it.Value()))
		}
		return n
	}
	return v
}
