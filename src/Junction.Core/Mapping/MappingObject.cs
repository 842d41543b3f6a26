namespace Junction.Mapping;

/// <summary>
/// An object built during evaluation. Members keep their insertion order; setting an existing member replaces its
/// value in place, as assigning a property does in JavaScript. A member may hold an undefined value until the
/// payload is written, which is what lets <c>@merge</c> blank out a key.
/// </summary>
internal sealed class MappingObject
{
    private const int LinearSearchLimit = 8;

    private readonly List<KeyValuePair<string, MappingValue>> _members;
    private Dictionary<string, int>? _index;

    public MappingObject(int capacity = 4) => _members = new List<KeyValuePair<string, MappingValue>>(capacity);

    public int Count => _members.Count;

    public string KeyAt(int position) => _members[position].Key;

    public MappingValue ValueAt(int position) => _members[position].Value;

    public void Set(string key, MappingValue value)
    {
        var position = Find(key);
        if (position >= 0)
        {
            _members[position] = new(key, value);
            return;
        }

        _members.Add(new(key, value));
        if (_index is not null)
        {
            _index[key] = _members.Count - 1;
        }
        else if (_members.Count > LinearSearchLimit)
        {
            _index = new Dictionary<string, int>(_members.Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < _members.Count; i++)
            {
                _index[_members[i].Key] = i;
            }
        }
    }

    /// <summary>Appends a member whose key is known to be new (the keys of a mapping object are unique).</summary>
    public void AddNew(string key, MappingValue value)
    {
        if (_index is null && _members.Count < LinearSearchLimit)
        {
            _members.Add(new(key, value));
            return;
        }

        Set(key, value);
    }

    public bool TryGet(string key, out MappingValue value)
    {
        var position = Find(key);
        value = position >= 0 ? _members[position].Value : MappingValue.Undefined;
        return position >= 0;
    }

    private int Find(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var position) ? position : -1;
        }

        for (var i = 0; i < _members.Count; i++)
        {
            if (string.Equals(_members[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
