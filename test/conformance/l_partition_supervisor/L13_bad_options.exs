# L13: bad options are refused at the call with ArgumentError; the caller goes on.
Code.require_file("l_help.exs", __DIR__)
T.show("no_name", try do PartitionSupervisor.start_link(child_spec: {Shard, :x}) rescue e -> e.__struct__ end)
T.show("no_spec", try do PartitionSupervisor.start_link(name: P) rescue e -> e.__struct__ end)
T.show("zero", try do PartitionSupervisor.start_link(child_spec: {Shard, :x}, name: P, partitions: 0) rescue e -> e.__struct__ end)
T.show("alive", Process.alive?(self()))
