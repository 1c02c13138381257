print("FalMusic")
