package frontmatter

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Node is a front-matter (or casebook.yaml) value with the position it was
// written at. Line and Col are 1-based and count from the top of the file.
type Node struct {
	Line, Col int
	Kind      Kind
	Str       string            // scalars, as written (without quotes)
	Value     any               // scalars, decoded (string, int, float, bool, time, nil)
	Keys      []string          // a mapping's keys in the order written
	Fields    map[string]*Node  // a mapping's values
	KeyPos    map[string][2]int // line and column of each key of a mapping
	Items     []*Node           // a list's items
}

// Empty is an empty mapping at the top of a file: what a file without
// front matter has.
func Empty() *Node {
	return &Node{Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}, Line: 1, Col: 1}
}

// Kind is the shape of a value.
type Kind int

// Kinds of Node.
const (
	NullNode Kind = iota
	ScalarNode
	MapNode
	ListNode
)

// KindName says what the node is, for messages: "a list".
func (n *Node) KindName() string {
	switch n.Kind {
	case ScalarNode:
		return "a value"
	case MapNode:
		return "a mapping"
	case ListNode:
		return "a list"
	}
	return "empty"
}

// Get returns the named field of a mapping, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MapNode {
		return nil
	}
	return n.Fields[key]
}

// Plain converts the node to ordinary Go values for templates.
func (n *Node) Plain() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case ScalarNode:
		return n.Value
	case MapNode:
		m := make(map[string]any, len(n.Keys))
		for _, k := range n.Keys {
			m[k] = n.Fields[k].Plain()
		}
		return m
	case ListNode:
		l := make([]any, len(n.Items))
		for i, it := range n.Items {
			l[i] = it.Plain()
		}
		return l
	}
	return nil
}

// PosError is a parse error at a position relative to the parsed text.
type PosError struct {
	Line, Col int
	Msg       string
}

func (e *PosError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// ParseYAML parses one YAML document into a node tree.
func ParseYAML(src []byte) (*Node, error) {
	// A byte-order mark (Windows editors write one) is not part of the
	// first key, and editors show no column for it.
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(src)) == 0 {
		return Empty(), nil
	}
	if n, ok := fastYAML(string(src)); ok {
		return n, nil
	}
	return parseFullYAML(src)
}

// parseFullYAML parses src with the YAML parser, which fastYAML must agree
// with.
func parseFullYAML(src []byte) (*Node, error) {
	if err := checkDepth(src); err != nil {
		return nil, err
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
			return nil, &PosError{se.Token.Position.Line, se.Token.Position.Column, "YAML: " + se.Message}
		}
		return nil, &PosError{1, 1, "YAML: " + firstLine(err.Error())}
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return Empty(), nil
	}
	return convertYAML(f.Docs[0].Body)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func pos(n ast.Node) (int, int) {
	if t := n.GetToken(); t != nil && t.Position != nil {
		return t.Position.Line, t.Position.Column
	}
	return 0, 0
}

func convertYAML(an ast.Node) (*Node, error) {
	line, col := pos(an)
	switch v := an.(type) {
	case *ast.MappingNode:
		// A mapping is where its first key is, not where its token is.
		if len(v.Values) > 0 {
			line, col = pos(v.Values[0].Key)
		}
		n := &Node{Line: line, Col: col, Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}}
		for _, mv := range v.Values {
			if err := n.addPair(mv); err != nil {
				return nil, err
			}
		}
		return n, nil
	case *ast.MappingValueNode:
		line, col = pos(v.Key)
		n := &Node{Line: line, Col: col, Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}}
		if err := n.addPair(v); err != nil {
			return nil, err
		}
		return n, nil
	case *ast.SequenceNode:
		n := &Node{Line: line, Col: col, Kind: ListNode}
		for _, it := range v.Values {
			c, err := convertYAML(it)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, c)
		}
		return n, nil
	case *ast.NullNode:
		return &Node{Line: line, Col: col, Kind: NullNode}, nil
	case *ast.TagNode:
		return convertYAML(v.Value)
	case *ast.AnchorNode:
		return convertYAML(v.Value)
	case *ast.CommentNode:
		return &Node{Line: line, Col: col, Kind: NullNode}, nil
	case *ast.AliasNode:
		return nil, &PosError{line, col, "YAML aliases are not supported in front matter"}
	case ast.ScalarNode:
		n := &Node{Line: line, Col: col, Kind: ScalarNode, Value: v.GetValue()}
		switch s := v.(type) {
		case *ast.StringNode:
			n.Str = s.Value
		case *ast.LiteralNode:
			n.Str = s.Value.Value
			n.Value = n.Str
		default:
			n.Str = fmt.Sprint(n.Value)
			if t := v.GetToken(); t != nil {
				n.Str = t.Value
			}
		}
		return n, nil
	}
	return nil, &PosError{line, col, fmt.Sprintf("unsupported YAML %s", an.Type())}
}

func (n *Node) addPair(mv *ast.MappingValueNode) error {
	kl, kc := pos(mv.Key)
	if _, ok := mv.Key.(*ast.AliasNode); ok {
		return &PosError{kl, kc, "YAML aliases are not supported in front matter"}
	}
	key := strings.TrimSpace(mv.Key.String())
	if sk, ok := mv.Key.(*ast.StringNode); ok {
		key = sk.Value
	}
	if _, dup := n.Fields[key]; dup {
		return &PosError{kl, kc, fmt.Sprintf("duplicate key %q", key)}
	}
	val, err := convertYAML(mv.Value)
	if err != nil {
		return err
	}
	if val.Kind == NullNode && val.Line == 0 {
		val.Line, val.Col = kl, kc
	}
	n.Keys = append(n.Keys, key)
	n.Fields[key] = val
	n.KeyPos[key] = [2]int{kl, kc}
	return nil
}

// ParseTOML parses TOML front matter. TOML values carry no positions in
// the decoder's API, so fields report the line of their key when it can be
// found in the text.
func ParseTOML(src []byte) (*Node, error) {
	var m map[string]any
	md, err := toml.Decode(string(src), &m)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &PosError{pe.Position.Line, pe.Position.Col, "TOML: " + pe.Message}
		}
		return nil, &PosError{1, 1, "TOML: " + firstLine(err.Error())}
	}
	_ = md
	lines := strings.Split(string(src), "\n")
	keyLine := func(k string) int {
		for i, l := range lines {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, k) && strings.HasPrefix(strings.TrimSpace(t[len(k):]), "=") {
				return i + 1
			}
			if t == "[["+k+"]]" || t == "["+k+"]" {
				return i + 1
			}
		}
		return 1
	}
	return fromPlain(m, 1, keyLine), nil
}

func fromPlain(v any, line int, keyLine func(string) int) *Node {
	switch x := v.(type) {
	case map[string]any:
		n := &Node{Line: line, Col: 1, Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			l := line
			if keyLine != nil {
				l = keyLine(k)
			}
			n.Keys = append(n.Keys, k)
			n.Fields[k] = fromPlain(x[k], l, nil)
			n.KeyPos[k] = [2]int{l, 1}
		}
		return n
	case []map[string]any:
		n := &Node{Line: line, Col: 1, Kind: ListNode}
		for _, it := range x {
			n.Items = append(n.Items, fromPlain(it, line, nil))
		}
		return n
	case []any:
		n := &Node{Line: line, Col: 1, Kind: ListNode}
		for _, it := range x {
			n.Items = append(n.Items, fromPlain(it, line, nil))
		}
		return n
	case nil:
		return &Node{Line: line, Col: 1, Kind: NullNode}
	default:
		s := fmt.Sprint(x)
		if t, ok := x.(interface{ Format(string) string }); ok {
			s = t.Format("2006-01-02T15:04:05Z07:00")
		}
		return &Node{Line: line, Col: 1, Kind: ScalarNode, Value: x, Str: s}
	}
}
