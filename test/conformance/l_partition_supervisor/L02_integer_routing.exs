# L02: an integer key goes to partition rem(abs(key), partitions).
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 4)
T.show("routes", Enum.map([0, 1, 5, -6, 11], &T.which(P, &1)))
