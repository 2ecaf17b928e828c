# L01: one child per partition, with ids 0 to N-1, newest first in which_children.
Code.require_file("l_help.exs", __DIR__)
{:ok, _} = L.shards(P, 4)
T.show("ids", PartitionSupervisor.which_children(P) |> Enum.map(fn {id, pid, type, _} -> {id, is_pid(pid), type} end))
T.show("count", PartitionSupervisor.count_children(P))
T.show("partitions", PartitionSupervisor.partitions(P))
