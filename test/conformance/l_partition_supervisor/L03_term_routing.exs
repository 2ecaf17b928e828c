# L03: any other key goes to the same partition each time, and keys spread over all partitions.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 4)
first = T.which(P, "user-17")
T.show("same", T.which(P, "user-17") == first)
T.show("spread", Enum.map(0..39, &T.which(P, "user-#{&1}")) |> Enum.uniq() |> length())
