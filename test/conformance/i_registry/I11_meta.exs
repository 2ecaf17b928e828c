# I11: metadata given at start, stored, read and deleted.
Code.require_file("i_help.exs", __DIR__)
{:ok, _} = Registry.start_link(keys: :unique, name: R, meta: [region: "eu"])
T.show("region", Registry.meta(R, :region))
T.show("missing", Registry.meta(R, :tier))
T.show("put", Registry.put_meta(R, :tier, 2))
T.show("tier", Registry.meta(R, :tier))
T.show("delete", Registry.delete_meta(R, :tier))
T.show("tier_after", Registry.meta(R, :tier))
